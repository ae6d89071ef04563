package io.campus.auth;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * When each session was last used, for the idle timeout and the user's list of sessions. A request
 * only records the time in memory (token resolution stays at one statement cold, none warm); every
 * few seconds ({@code campus.auth.last-use-flush}) the uses seen since are written in one
 * statement. Every instance flushes its own uses, so no leader is needed.
 */
@ApplicationScoped
public class SessionActivity {

  private static final Logger LOG = Logger.getLogger(SessionActivity.class);
  private static final int FLUSH_CHUNK = 1000;

  private final SessionRepository sessions;
  private final Duration idleTimeout;
  // last use seen by this instance (epoch millis), kept while it can still matter for idleness
  private final Map<Long, Long> lastSeen = new ConcurrentHashMap<>();
  // uses not yet written to the database
  private final Map<Long, Long> pending = new ConcurrentHashMap<>();

  public SessionActivity(SessionRepository sessions, AuthConfig config) {
    this.sessions = sessions;
    this.idleTimeout = config.idleTimeout();
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Records a use of a session now. */
  void touch(long sessionId) {
    if (sessionId <= 0) {
      return;
    }
    long now = System.currentTimeMillis();
    lastSeen.merge(sessionId, now, Math::max);
    pending.merge(sessionId, now, Math::max);
  }

  /** The later of the stored last use and the last use this instance saw. */
  OffsetDateTime lastUse(long sessionId, OffsetDateTime stored) {
    Long seen = lastSeen.get(sessionId);
    if (seen == null) {
      return stored;
    }
    OffsetDateTime memory = Instant.ofEpochMilli(seen).atOffset(ZoneOffset.UTC);
    return stored == null || memory.isAfter(stored) ? memory : stored;
  }

  /** Whether the session has been unused for longer than the idle timeout. */
  boolean idle(SessionUser session) {
    if (session.sessionId() <= 0 || session.lastUsedAt() == null) {
      return false; // cached before last use was tracked
    }
    OffsetDateTime last = lastUse(session.sessionId(), session.lastUsedAt());
    return last.plus(idleTimeout).isBefore(OffsetDateTime.now());
  }

  /** Forgets a session that ended. */
  void forget(long sessionId) {
    lastSeen.remove(sessionId);
    pending.remove(sessionId);
  }

  @Scheduled(
      identity = "session-last-use-flush",
      every = "${campus.auth.last-use-flush:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduledFlush() {
    return flush()
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("Could not record the last use of sessions: %s", e.toString());
              return 0;
            })
        .replaceWithVoid();
  }

  /** Writes the uses seen since the last flush; the number of sessions updated. */
  public Uni<Integer> flush() {
    long cutoff = System.currentTimeMillis() - idleTimeout.toMillis();
    lastSeen.entrySet().removeIf(e -> e.getValue() < cutoff);
    if (pending.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    List<Long> ids = new ArrayList<>();
    List<OffsetDateTime> times = new ArrayList<>();
    for (Map.Entry<Long, Long> use : pending.entrySet()) {
      // removed only if unchanged: a use recorded meanwhile stays pending for the next flush
      if (pending.remove(use.getKey(), use.getValue())) {
        ids.add(use.getKey());
        times.add(Instant.ofEpochMilli(use.getValue()).atOffset(ZoneOffset.UTC));
      }
    }
    Uni<Integer> written = Uni.createFrom().item(0);
    for (int from = 0; from < ids.size(); from += FLUSH_CHUNK) {
      int to = Math.min(ids.size(), from + FLUSH_CHUNK);
      Long[] chunkIds = ids.subList(from, to).toArray(Long[]::new);
      OffsetDateTime[] chunkTimes = times.subList(from, to).toArray(OffsetDateTime[]::new);
      written =
          written.chain(sum -> sessions.recordLastUse(chunkIds, chunkTimes).map(n -> sum + n));
    }
    return written
        .onFailure()
        .invoke(
            e -> {
              // keep them for the next try, unless a newer use is already pending
              for (int i = 0; i < ids.size(); i++) {
                pending.merge(ids.get(i), times.get(i).toInstant().toEpochMilli(), Math::max);
              }
            });
  }

  /** Writes what is pending before the instance stops (best effort, off the event loop). */
  void onStop(@Observes ShutdownEvent event) {
    if (pending.isEmpty()) {
      return;
    }
    try {
      flush().await().atMost(Duration.ofSeconds(3));
    } catch (RuntimeException e) {
      LOG.warnf("Last use of %d sessions not recorded at shutdown: %s", pending.size(), e);
    }
  }
}
