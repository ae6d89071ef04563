package io.campus.auth;

import io.campus.cache.CacheKey;
import io.campus.cache.CacheSpec;
import io.campus.cache.TwoLevelCache;
import io.campus.ops.DbGuard;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;

/**
 * Token → user, resolved on every authenticated request: cached in both layers so a warm lookup
 * costs no SQL. Logout and account changes evict the affected entries everywhere.
 */
@ApplicationScoped
public class SessionService {

  static final CacheSpec<SessionUser> SESSIONS = CacheSpec.of("session", SessionUser.class);

  private final SessionRepository sessions;
  private final TwoLevelCache cache;
  private final DbGuard db;

  public SessionService(SessionRepository sessions, TwoLevelCache cache, DbGuard db) {
    this.sessions = sessions;
    this.cache = cache;
    this.db = db;
  }

  /** The user behind a token hash, or null when unknown or expired. */
  public Uni<UserView> resolve(byte[] tokenHash) {
    return cache
        .get(
            SESSIONS,
            CacheKey.of(HexFormat.of().formatHex(tokenHash)),
            () -> db.read(() -> sessions.findUser(tokenHash)))
        .map(
            found ->
                found == null || !found.expiresAt().isAfter(OffsetDateTime.now())
                    ? null
                    : found.user());
  }

  public Uni<Void> create(long userId, byte[] tokenHash, OffsetDateTime expiresAt) {
    // A client may have probed this token before it existed; forget that miss.
    return sessions
        .create(userId, tokenHash, expiresAt)
        .chain(() -> cache.evict(SESSIONS, CacheKey.of(HexFormat.of().formatHex(tokenHash))));
  }

  public Uni<Void> revoke(byte[] tokenHash) {
    return sessions
        .delete(tokenHash)
        .chain(() -> cache.evict(SESSIONS, CacheKey.of(HexFormat.of().formatHex(tokenHash))));
  }

  /** Evicts every cached session of a user, after their role or profile changed. */
  public Uni<Void> evictUser(long userId) {
    return sessions
        .tokenHashesOf(userId)
        .chain(
            hashes -> {
              List<String> keys =
                  hashes.stream().map(h -> CacheKey.of(HexFormat.of().formatHex(h))).toList();
              return cache.evict(SESSIONS, keys.toArray(String[]::new));
            });
  }

  /** Ends every session of a user at once: rows deleted, then their cache entries evicted. */
  public Uni<Void> endAllSessions(long userId) {
    return sessions
        .deleteAllOf(userId)
        .chain(
            hashes -> {
              List<String> keys =
                  hashes.stream().map(h -> CacheKey.of(HexFormat.of().formatHex(h))).toList();
              return cache.evict(SESSIONS, keys.toArray(String[]::new));
            });
  }
}
