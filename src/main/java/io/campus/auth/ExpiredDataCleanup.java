package io.campus.auth;

import io.campus.platform.jobs.BatchJob;
import io.campus.platform.jobs.JobRunner;
import io.campus.platform.jobs.JobsConfig;
import io.campus.platform.jobs.KeyRanges;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes expired sessions and those of an epoch their user ended (in id ranges), and expired
 * idempotency keys, mailed account tokens and finished job runs past {@code
 * campus.jobs.history-retention} (in the last batch). Cached sessions check their own expiry, and
 * those of an ended epoch were evicted when it ended, so nothing needs evicting.
 */
@ApplicationScoped
public class ExpiredDataCleanup implements BatchJob {

  public static final String NAME = "session-cleanup";

  private final Pool pool;
  private final JobRunner runner;
  private final JobsConfig config;

  public ExpiredDataCleanup(Pool pool, JobRunner runner, JobsConfig config) {
    this.pool = pool;
    this.runner = runner;
    this.config = config;
  }

  @Scheduled(
      identity = NAME,
      // a cron, not an interval: every replica fires the same slot, and one of them claims it
      cron = "${campus.jobs.session-cleanup.cron:0 0/10 * * * ?}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> onSchedule(ScheduledExecution execution) {
    return runner.onSchedule(NAME, execution);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Uni<List<Long>> boundaries(int batchSize) {
    return KeyRanges.of(
            pool,
            "select s.id as key from sessions s join users u on u.id = s.user_id"
                + " where s.expires_at < now() or s.epoch <> u.session_epoch",
            batchSize)
        .map(
            bounds -> {
              // a final range past every session id takes the idempotency keys
              List<Long> all = new ArrayList<>(bounds);
              all.add(Long.MAX_VALUE);
              return all;
            });
  }

  @Override
  public Uni<Long> batch(long fromExclusive, long toInclusive) {
    if (toInclusive == Long.MAX_VALUE) {
      return pool.preparedQuery(
              """
              with keys as (delete from idempotency_keys where expires_at < now() returning 1),
              tokens as (delete from account_tokens where expires_at < now() returning 1),
              runs as (delete from job_runs where finished_at is not null
                         and started_at < now() - make_interval(secs => $1) returning 1)
              select (select count(*) from keys) + (select count(*) from tokens)
                     + (select count(*) from runs)
              """)
          .execute(Tuple.of((double) config.historyRetention().toSeconds()))
          .map(rows -> rows.iterator().next().getLong(0));
    }
    // expired, or of an epoch their user ended (a login that raced the end of every session)
    return pool.preparedQuery(
            """
            delete from sessions s where s.id > $1 and s.id <= $2
              and (s.expires_at < now()
                   or s.epoch <> (select u.session_epoch from users u where u.id = s.user_id))
            """)
        .execute(Tuple.of(fromExclusive, toInclusive))
        .map(rows -> (long) rows.rowCount());
  }
}
