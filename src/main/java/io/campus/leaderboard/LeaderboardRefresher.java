package io.campus.leaderboard;

import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.jobs.JobRunner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Recomputes the leaderboard view at start-up and every {@code campus.leaderboard.refresh-interval}
 * (the schedule's first run is the start-up one; with the schedule off, a start-up observer runs
 * it). Every replica runs the schedule; a transaction-scoped advisory lock lets only one of them
 * refresh at a time, the others skip that round. CONCURRENTLY keeps the view readable during the
 * refresh.
 */
@ApplicationScoped
public class LeaderboardRefresher {

  private static final Logger LOG = Logger.getLogger(LeaderboardRefresher.class);

  /** Advisory lock key of the leaderboard refresh ("CampusLB"). */
  static final long LOCK_KEY = 0x43616d7075734c42L;

  private final Pool pool;
  private final TwoLevelCache cache;
  private final boolean scheduled;

  private static final String JOB = "leaderboard-refresh";

  private final Counter refreshedRuns;
  private final Counter failedRuns;
  private final Counter skippedRuns;

  public LeaderboardRefresher(
      Pool pool, TwoLevelCache cache, LeaderboardConfig config, MeterRegistry registry) {
    this.pool = pool;
    this.cache = cache;
    this.scheduled = isScheduled(config.refreshInterval());
    // the scheduled refreshes counted as the jobs' runs are (CampusJobFailing)
    this.refreshedRuns = JobRunner.runs(registry, JOB, "completed");
    this.failedRuns = JobRunner.runs(registry, JOB, "failed");
    this.skippedRuns = JobRunner.runs(registry, JOB, "skipped");
  }

  /**
   * Whether the periodic refresh runs ({@code off} or {@code disabled} turn it off, as Quarkus
   * reads them).
   */
  static boolean isScheduled(String interval) {
    String value = interval.trim();
    return !value.equalsIgnoreCase("off") && !value.equalsIgnoreCase("disabled");
  }

  void onStart(@Observes StartupEvent event) {
    // A schedule's first run comes right after start-up; refreshing here as well computed the
    // ranks twice at every start.
    if (scheduled) {
      return;
    }
    refresh()
        .subscribe()
        .with(
            refreshed -> {},
            failure -> LOG.warnf(failure, "Leaderboard refresh at start-up failed"));
  }

  @Scheduled(
      identity = JOB,
      every = "${campus.leaderboard.refresh-interval:60s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduledRefresh() {
    return refresh()
        .invoke(refreshed -> (refreshed ? refreshedRuns : skippedRuns).increment())
        .onFailure()
        .invoke(
            failure -> {
              failedRuns.increment();
              LOG.warnf(failure, "Leaderboard refresh failed");
            })
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** Refreshes the ranks; false when another replica holds the lock (it is refreshing them). */
  public Uni<Boolean> refresh() {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery("select pg_try_advisory_xact_lock($1) as locked")
                    .execute(Tuple.of(LOCK_KEY))
                    .chain(
                        rows -> {
                          if (!rows.iterator().next().getBoolean("locked")) {
                            return Uni.createFrom().item(false);
                          }
                          // The view belongs to the migration role; this function (V7) refreshes
                          // it on the service's behalf.
                          return conn.query("select refresh_leaderboard()")
                              .execute()
                              .chain(
                                  () ->
                                      conn.query(
                                              "update leaderboard_refreshes set refreshed_at = now()")
                                          .execute())
                              .replaceWith(true);
                        }))
        .call(
            refreshed ->
                refreshed ? cache.bump(CacheTags.LEADERBOARD) : Uni.createFrom().voidItem());
  }
}
