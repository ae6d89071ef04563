package io.campus.auth;

import io.campus.platform.cache.CacheKey;
import io.campus.platform.cache.CacheSpec;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.ops.AfterCommit;
import io.campus.user.UserView;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;

/**
 * Token → user, resolved on every authenticated request: cached in both layers so a warm lookup
 * costs no SQL. Logout and account changes evict the affected entries everywhere.
 */
@Startup
@ApplicationScoped
public class SessionService {

  static final CacheSpec<SessionUser> SESSIONS = CacheSpec.of("session", SessionUser.class);

  private final SessionRepository sessions;
  private final TwoLevelCache cache;

  private final SessionActivity activity;
  private final int maxSessions;

  public SessionService(
      SessionRepository sessions,
      TwoLevelCache cache,
      SessionActivity activity,
      AuthConfig config) {
    this.sessions = sessions;
    this.cache = cache;
    this.activity = activity;
    if (config.maxSessions() < 1) {
      throw new IllegalArgumentException("campus.auth.max-sessions must be at least 1");
    }
    this.maxSessions = config.maxSessions();
  }

  /** The user behind a token hash, or null when unknown, expired or idle. */
  public Uni<UserView> resolve(byte[] tokenHash) {
    return resolveSession(tokenHash).map(found -> found == null ? null : found.user());
  }

  /**
   * The live session behind a token hash, or null when unknown, expired or idle for longer than
   * {@code campus.auth.idle-timeout}. Records the use in memory only (see {@link SessionActivity}).
   * A cached entry that looks idle is checked once against the database, where other instances
   * record their uses, before the session is refused.
   */
  public Uni<SessionUser> resolveSession(byte[] tokenHash) {
    return cache
        .get(
            SESSIONS,
            CacheKey.of(HexFormat.of().formatHex(tokenHash)),
            () -> sessions.findUser(tokenHash))
        .chain(
            found -> {
              if (found == null || !found.expiresAt().isAfter(OffsetDateTime.now())) {
                return Uni.createFrom().nullItem();
              }
              if (!activity.idle(found)) {
                return Uni.createFrom().item(used(found));
              }
              return sessions
                  .findUser(tokenHash)
                  .map(fresh -> fresh == null || activity.idle(fresh) ? null : used(fresh));
            });
  }

  private SessionUser used(SessionUser session) {
    activity.touch(session.sessionId());
    return session;
  }

  /**
   * Opens a session that remembers the client's User-Agent, of the session epoch the user had when
   * their password was read; false when their sessions were ended since.
   */
  public Uni<Boolean> create(
      long userId, byte[] tokenHash, OffsetDateTime expiresAt, String userAgent, int epoch) {
    return AfterCommit.then(
            sessions.create(userId, tokenHash, expiresAt, userAgent, epoch, maxSessions),
            // A client may have probed this token before it existed; forget that miss, and the
            // sessions that ended to make room for it.
            opened -> {
              List<byte[]> evicted = new java.util.ArrayList<>(opened.ended());
              evicted.add(tokenHash);
              return evictHashes(evicted);
            })
        .map(SessionRepository.Opened::opened);
  }

  /** Ends one session of a user; false when no such session of theirs exists. */
  public Uni<Boolean> revokeOf(long userId, long sessionId) {
    return sessions
        .deleteOf(userId, sessionId)
        .chain(
            hash -> {
              if (hash == null) {
                return Uni.createFrom().item(false);
              }
              activity.forget(sessionId);
              return evictHashes(List.of(hash)).replaceWith(true);
            });
  }

  /**
   * Ends every session of a user but {@code keepSessionId} (0 ends them all): rows deleted, cache
   * entries evicted everywhere, so their tokens stop working at once.
   */
  public Uni<Integer> revokeAllOf(long userId, long keepSessionId) {
    return AfterCommit.then(
            sessions.deleteAllOf(userId, keepSessionId), ended -> ended(userId, ended))
        .map(List::size);
  }

  /**
   * Evicts the sessions a statement that ended every session of a user deleted, then those it could
   * not see: opened meanwhile (of the epoch it ended) and maybe cached before it committed.
   */
  public Uni<Void> ended(long userId, List<byte[]> deleted) {
    return evictHashes(deleted).chain(() -> evictUser(userId));
  }

  /** Evicts the cached sessions of these token hashes (their rows are gone). */
  public Uni<Void> evictHashes(List<byte[]> hashes) {
    if (hashes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    String[] keys =
        hashes.stream().map(h -> CacheKey.of(HexFormat.of().formatHex(h))).toArray(String[]::new);
    return cache.evict(SESSIONS, keys);
  }

  /** The later of a stored last use and the last use this instance saw. */
  public OffsetDateTime lastUse(long sessionId, OffsetDateTime stored) {
    return activity.lastUse(sessionId, stored);
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
    return revokeAllOf(userId, 0).replaceWithVoid();
  }
}
