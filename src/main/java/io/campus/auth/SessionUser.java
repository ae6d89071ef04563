package io.campus.auth;

import io.campus.user.UserView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;

/** A live session's user, as cached; the expiry is checked on every use of a cached entry. */
@RegisterForReflection
public record SessionUser(UserView user, OffsetDateTime expiresAt) {}
