package io.campus.audit;

import io.campus.platform.jobs.BatchJob;
import io.campus.platform.jobs.JobRunner;
import io.campus.platform.jobs.KeyRanges;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Deletes audit rows older than {@code campus.audit.retention}, in primary-key ranges. Rows are
 * appended in time order, so the expired ones are the lowest ids; each batch still checks the time.
 */
@ApplicationScoped
public class AuditRetention implements BatchJob {

  /** The job's name, as scheduled (campus.jobs.audit-retention) and run through the admin API. */
  public static final String NAME = "audit-retention";

  private final Pool pool;
  private final JobRunner runner;
  private final AuditConfig config;

  public AuditRetention(Pool pool, JobRunner runner, AuditConfig config) {
    this.pool = pool;
    this.runner = runner;
    this.config = config;
  }

  @Scheduled(
      identity = NAME,
      cron = "${campus.jobs.audit-retention.cron:0 45 3 * * ?}",
      timeZone = "UTC",
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
    // audit_log has no index on the time (it would cost every insert one more entry): one scan a
    // day finds the expired ids.
    return KeyRanges.of(
        pool,
        "select id as key from audit_log where at < now() - make_interval(secs => $2)",
        batchSize,
        (double) config.retention().toSeconds());
  }

  @Override
  public Uni<Long> batch(long fromExclusive, long toInclusive) {
    return pool.preparedQuery(
            "delete from audit_log where id > $1 and id <= $2"
                + " and at < now() - make_interval(secs => $3)")
        .execute(Tuple.of(fromExclusive, toInclusive, (double) config.retention().toSeconds()))
        .map(rows -> (long) rows.rowCount());
  }
}
