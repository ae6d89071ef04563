package io.campus.auth;

import io.campus.user.UserView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;

/**
 * A live session's user, as cached; the expiry is checked on every use of a cached entry, and so is
 * the idle timeout (against {@code lastUsedAt} as loaded plus the uses this instance saw since).
 * Entries cached before the session id existed carry id 0 and no last use: no idle check.
 */
@RegisterForReflection
public record SessionUser(
    UserView user,
    OffsetDateTime expiresAt,
    long sessionId,
    OffsetDateTime lastUsedAt,
    boolean emailConfirmed) {

  public SessionUser(UserView user, OffsetDateTime expiresAt) {
    this(user, expiresAt, 0, null, false);
  }
}
