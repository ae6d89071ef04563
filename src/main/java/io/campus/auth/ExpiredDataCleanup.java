package io.campus.auth;

import io.campus.platform.jobs.BatchJob;
import io.campus.platform.jobs.JobRunner;
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
 * Deletes expired sessions (in id ranges), and expired idempotency keys and mailed account tokens
 * (in the last batch). Cached sessions check their own expiry, so nothing needs evicting.
 */
@ApplicationScoped
public class ExpiredDataCleanup implements BatchJob {

  public static final String NAME = "session-cleanup";

  private final Pool pool;
  private final JobRunner runner;

  public ExpiredDataCleanup(Pool pool, JobRunner runner) {
    this.pool = pool;
    this.runner = runner;
  }

  @Scheduled(
      identity = NAME,
      every = "${campus.jobs.session-cleanup.every:10m}",
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
    return KeyRanges.of(pool, "select id as key from sessions where expires_at < now()", batchSize)
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
              tokens as (delete from account_tokens where expires_at < now() returning 1)
              select (select count(*) from keys) + (select count(*) from tokens)
              """)
          .execute()
          .map(rows -> rows.iterator().next().getLong(0));
    }
    return pool.preparedQuery(
            "delete from sessions where id > $1 and id <= $2 and expires_at < now()")
        .execute(Tuple.of(fromExclusive, toInclusive))
        .map(rows -> (long) rows.rowCount());
  }
}
