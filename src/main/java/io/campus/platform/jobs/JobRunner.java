package io.campus.platform.jobs;

import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.Sql;
import io.campus.platform.common.Where;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs batch jobs once across replicas. A scheduled run first claims its slot (one job_runs row per
 * job and fire time), then every run takes a PostgreSQL advisory lock on a connection it holds for
 * the whole run, so neither two schedules nor a schedule and an admin trigger overlap. Batches run
 * with bounded concurrency; a failing batch is logged and counted and the run goes on. Meters:
 * {@code campus.job.runs} (job, outcome), {@code campus.job.duration} (job), {@code
 * campus.job.failed.batches} (job).
 */
@ApplicationScoped
public class JobRunner {

  private static final Logger LOG = Logger.getLogger(JobRunner.class);
  private static final String COLUMNS =
      """
      id, job, trigger, status, instance, processed, batches, failed_batches, detail, counts,
      scheduled_for, started_at, finished_at""";
  private static final String FIND =
      Sql.fill("select /*{columns}*/ from job_runs where id = $1", "columns", COLUMNS);
  // Newest first by id; one job's runs filtered per call (job_runs_job_recent_idx, V3).
  private static final String LIST =
      """
      select /*{columns}*/ from job_runs
      where id < $1 /*{filter}*/
      order by id desc limit $2
      """;
  // One run per job and scheduled time: the unique (job, scheduled_for) of V3.
  private static final String CLAIM =
      Sql.fill(
          """
          insert into job_runs (job, scheduled_for, trigger, status, instance)
          values ($1, $2, $3, 'RUNNING', $4)
          on conflict (job, scheduled_for) do nothing returning /*{columns}*/
          """,
          "columns",
          COLUMNS);
  private static final String LOCK = "select pg_try_advisory_lock(hashtext($1)) as locked";
  private static final String UNLOCK = "select pg_advisory_unlock(hashtext($1))";
  private static final String RECORD_BATCH = Sql.load("jobs/record-batch");
  private static final String FINISH =
      Sql.fill(
          """
          update job_runs set status = $2, detail = $3, finished_at = now() where id = $1
          returning /*{columns}*/
          """,
          "columns",
          COLUMNS);

  private final Pool pool;
  private final Map<String, BatchJob> jobs = new LinkedHashMap<>();
  private final JobsConfig config;
  private final MeterRegistry registry;
  private final String instance = UUID.randomUUID().toString().substring(0, 8);

  public JobRunner(Pool pool, Instance<BatchJob> jobs, JobsConfig config, MeterRegistry registry) {
    this.pool = pool;
    jobs.forEach(job -> this.jobs.put(job.name(), job));
    this.config = config;
    this.registry = registry;
  }

  public boolean knows(String job) {
    return jobs.containsKey(job);
  }

  /** Starts a run now and answers at once with its record; the run goes on in the background. */
  public Uni<JobRun> trigger(String job) {
    return claim(job, null, "ADMIN")
        .invoke(run -> execute(jobs.get(job), run.id()).subscribe().with(r -> {}, f -> {}));
  }

  /** The run for one scheduled fire time; does nothing if another replica claimed that slot. */
  public Uni<JobRun> runScheduled(String job, Instant fireTime) {
    return claim(job, OffsetDateTime.ofInstant(fireTime, ZoneOffset.UTC), "SCHEDULE")
        .chain(run -> run == null ? Uni.createFrom().nullItem() : execute(jobs.get(job), run.id()));
  }

  /**
   * What a job's {@code @Scheduled} method returns: the run for that fire time, whose failure is
   * already recorded in its run and must not fail the scheduler's invocation.
   */
  public Uni<Void> onSchedule(String job, ScheduledExecution execution) {
    return runScheduled(job, execution.getScheduledFireTime())
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  public Uni<JobRun> find(long id) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
  }

  public Uni<Page<JobRun>> list(String job, String cursor, int limit) {
    List<String> keys = Cursor.decode(cursor, "jobs:" + job, 1);
    long before = keys == null ? Long.MAX_VALUE : Cursor.longKey(keys.get(0));
    Where where = Where.with(before, limit + 1).eq("job", job);
    return pool.preparedQuery(Sql.fill(LIST, Map.of("columns", COLUMNS, "filter", where.sql())))
        .execute(where.tuple())
        .map(
            rows -> {
              List<JobRun> list = new ArrayList<>();
              rows.forEach(row -> list.add(view(row)));
              return PageSize.of(list, limit, last -> Cursor.encode("jobs:" + job, last.id()));
            });
  }

  private Uni<JobRun> claim(String job, OffsetDateTime slot, String trigger) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(job, slot, trigger, instance))
        .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
  }

  private Uni<JobRun> execute(BatchJob job, long runId) {
    Timer.Sample sample = Timer.start(registry);
    return pool.getConnection()
        .chain(
            lockConnection ->
                lockConnection
                    .preparedQuery(LOCK)
                    .execute(Tuple.of("campus-job:" + job.name()))
                    .chain(
                        rows -> {
                          if (!rows.iterator().next().getBoolean("locked")) {
                            return finish(runId, "SKIPPED", "another run holds the job's lock");
                          }
                          return batches(job, runId)
                              .chain(
                                  failed ->
                                      finish(
                                          runId,
                                          "COMPLETED",
                                          failed == 0 ? "" : failed + " batches failed"))
                              .onFailure()
                              .recoverWithUni(
                                  f -> finish(runId, "FAILED", String.valueOf(f.getMessage())))
                              .call(() -> unlock(lockConnection, job));
                        })
                    .eventually(lockConnection::close))
        .invoke(
            run -> {
              // Tagged job_name: Prometheus owns the `job` label (it would become exported_job).
              sample.stop(registry.timer("campus.job.duration", "job_name", job.name()));
              Counter.builder("campus.job.runs")
                  .tag("job_name", job.name())
                  .tag("outcome", run.status().toLowerCase())
                  .register(registry)
                  .increment();
              LOG.infof(
                  "Job %s run %d %s: %d processed in %d batches, %d failed",
                  job.name(),
                  runId,
                  run.status(),
                  run.processed(),
                  run.batches(),
                  run.failedBatches());
            });
  }

  /** Runs every batch with bounded concurrency; returns the number of failed batches. */
  private Uni<Integer> batches(BatchJob job, long runId) {
    AtomicInteger failed = new AtomicInteger();
    Counter failures = registry.counter("campus.job.failed.batches", "job_name", job.name());
    return job.boundaries(config.batchSize())
        .chain(
            bounds -> {
              List<long[]> ranges = new ArrayList<>();
              long from = Long.MIN_VALUE;
              for (long to : bounds) {
                ranges.add(new long[] {from, to});
                from = to;
              }
              return Multi.createFrom()
                  .iterable(ranges)
                  .onItem()
                  .transformToUni(
                      range ->
                          job.run(range[0], range[1])
                              .onFailure()
                              .recoverWithItem(
                                  f -> {
                                    LOG.warnf(
                                        f,
                                        "Job %s batch (%d, %d] failed",
                                        job.name(),
                                        range[0],
                                        range[1]);
                                    failed.incrementAndGet();
                                    failures.increment();
                                    return new BatchJob.Outcome(-1, Map.of());
                                  })
                              .call(outcome -> progress(runId, outcome)))
                  .merge(config.concurrency())
                  .collect()
                  .last()
                  .map(ignored -> failed.get());
            });
  }

  /** Adds a batch's outcome (processed -1: it failed) to the run, counts summed key by key. */
  private Uni<Void> progress(long runId, BatchJob.Outcome outcome) {
    JsonObject counts = new JsonObject();
    outcome.counts().forEach(counts::put);
    boolean failed = outcome.processed() < 0;
    return pool.preparedQuery(RECORD_BATCH)
        .execute(Tuple.of(runId, Math.max(outcome.processed(), 0), failed ? 1 : 0, counts))
        .replaceWithVoid();
  }

  private Uni<JobRun> finish(long runId, String status, String detail) {
    return pool.preparedQuery(FINISH)
        .execute(Tuple.of(runId, status, detail))
        .map(rows -> view(rows.iterator().next()));
  }

  private static Uni<Void> unlock(SqlConnection connection, BatchJob job) {
    return connection
        .preparedQuery(UNLOCK)
        .execute(Tuple.of("campus-job:" + job.name()))
        .replaceWithVoid();
  }

  private static JobRun view(Row row) {
    return new JobRun(
        row.getLong("id"),
        row.getString("job"),
        row.getString("trigger"),
        row.getString("status"),
        row.getString("instance"),
        row.getLong("processed"),
        row.getInteger("batches"),
        row.getInteger("failed_batches"),
        row.getString("detail"),
        counts(row.getValue("counts")),
        row.getOffsetDateTime("scheduled_for"),
        row.getOffsetDateTime("started_at"),
        row.getOffsetDateTime("finished_at"));
  }

  private static Map<String, Long> counts(Object raw) {
    JsonObject json = raw instanceof JsonObject o ? o : new JsonObject(String.valueOf(raw));
    Map<String, Long> counts = new TreeMap<>();
    json.forEach(e -> counts.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return counts;
  }
}
