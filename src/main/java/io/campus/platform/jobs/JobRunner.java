package io.campus.platform.jobs;

import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.Sql;
import io.campus.platform.common.Where;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.impl.Connection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs batch jobs once across replicas. Every run takes a PostgreSQL advisory lock on a connection
 * it holds for the whole run, in the statement that claims it (a scheduled run claims its slot: one
 * job_runs row per job and fire time), so neither two schedules nor a schedule and an admin trigger
 * overlap, and a RUNNING row exists only while its run holds the lock. A run whose instance died
 * (its connection, and so its lock, gone) is marked FAILED and abandoned at start-up and before
 * every claim; if it held its job's latest scheduled slot, that slot runs again, up to {@code
 * campus.jobs.max-attempts} runs of the slot in all. A run still going when that happened (its lock
 * connection lost) finds its record no longer RUNNING, stops and leaves it so. Batches run with
 * bounded concurrency; a failing batch is logged and counted and the run goes on. Meters: {@code
 * campus.job.runs} (job, outcome), {@code campus.job.duration} (job), {@code
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
  private static final String CLAIM = Sql.fill(Sql.load("jobs/claim"), "columns", COLUMNS);
  private static final String REAP = Sql.load("jobs/reap");
  // Only when this session holds it: the claim may have failed before or after taking it.
  private static final String UNLOCK =
      """
      select pg_advisory_unlock(hashtext('campus-job:' || $1)) from pg_locks
      where locktype = 'advisory' and objsubid = 1 and granted and pid = pg_backend_pid()
        and ((classid::bigint << 32) | objid::bigint) = hashtext('campus-job:' || $1)
      """;
  private static final String RECORD_BATCH = Sql.load("jobs/record-batch");
  // How long a discarded connection may take to close before it is handed back as closed anyway.
  private static final Duration DISCARD_WAIT = Duration.ofSeconds(5);
  // Only its own run, RUNNING and not abandoned: see record-batch.sql.
  private static final String FINISH =
      Sql.fill(
          """
          update job_runs set status = $2, detail = $3, finished_at = now()
          where id = $1 and status = 'RUNNING' and not abandoned
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
    if (config.historyRetention().compareTo(Duration.ofDays(1)) < 0) {
      // a slot's row must outlive the slot's retries, or a replica could claim it once more
      throw new IllegalArgumentException(
          "campus.jobs.history-retention must be at least a day, not " + config.historyRetention());
    }
    this.pool = pool;
    jobs.forEach(job -> this.jobs.put(job.name(), job));
    this.config = config;
    this.registry = registry;
    // At 0 from the start: a counter that first appears at 1 is no increase to Prometheus, and the
    // first failure of a daily job would never alert.
    this.jobs
        .keySet()
        .forEach(
            job -> {
              OUTCOMES.forEach(outcome -> runs(registry, job, outcome));
              registry.counter("campus.job.failed.batches", "job_name", job);
            });
  }

  /** What a run of a job can end as ({@code campus.job.runs}' outcome tag). */
  public static final List<String> OUTCOMES = List.of("completed", "failed", "skipped");

  /** The counter of a job's runs that ended as {@code outcome}. */
  public static Counter runs(MeterRegistry registry, String job, String outcome) {
    return Counter.builder("campus.job.runs")
        .tag("job_name", job)
        .tag("outcome", outcome)
        .register(registry);
  }

  public boolean knows(String job) {
    return jobs.containsKey(job);
  }

  /** A claim: the run recorded (null when another replica had the slot), on its lock connection. */
  private record Claim(SqlConnection connection, JobRun run) {}

  void onStart(@Observes StartupEvent event) {
    // The runs this instance's predecessors left RUNNING when they were killed.
    reap().subscribe().with(ignored -> {}, failure -> {});
  }

  /** Starts a run now and answers at once with its record; the run goes on in the background. */
  public Uni<JobRun> trigger(String job) {
    return Uni.createFrom()
        .deferred(
            () -> {
              // Claim and run are subscribed apart from the request: a client that goes away
              // must not cancel them while they hold the lock connection.
              CompletableFuture<JobRun> claimed = new CompletableFuture<>();
              claim(job, null, "ADMIN")
                  .invoke(claim -> claimed.complete(claim.run()))
                  .chain(claim -> execute(jobs.get(job), claim))
                  .subscribe()
                  .with(r -> {}, claimed::completeExceptionally);
              return Uni.createFrom().completionStage(claimed);
            });
  }

  /**
   * The run for one scheduled fire time; does nothing if another replica claimed that slot. A slot
   * that could not be claimed (the database unreachable) runs nowhere: it counts as a failed run.
   */
  public Uni<JobRun> runScheduled(String job, Instant fireTime) {
    return claim(job, OffsetDateTime.ofInstant(fireTime, ZoneOffset.UTC), "SCHEDULE")
        .onFailure()
        .invoke(
            failure -> {
              outcome(job, "FAILED");
              LOG.warnf(
                  "Job %s did not run its %s slot: the run could not be recorded (%s)",
                  job, fireTime, failure.toString());
            })
        .chain(claim -> execute(jobs.get(job), claim));
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

  /**
   * Claims a run on a connection of its own that holds the job's lock when the run is RUNNING;
   * first marks the runs of dead instances FAILED.
   */
  private Uni<Claim> claim(String job, OffsetDateTime slot, String trigger) {
    return reap()
        .onFailure()
        .recoverWithItem(
            f -> {
              LOG.infof(
                  "Could not look for abandoned job runs (%s); the next claim looks again", f);
              return null;
            })
        .chain(pool::getConnection)
        .chain(
            connection ->
                connection
                    .preparedQuery(CLAIM)
                    .execute(Tuple.of(job, slot, trigger, instance))
                    .map(
                        rows -> {
                          Row row = rows.iterator().next();
                          return new Claim(
                              connection, row.getLong("id") == null ? null : view(row));
                        })
                    .onFailure()
                    .call(() -> release(connection, job)));
  }

  /**
   * Marks the RUNNING runs that nobody holds the lock of FAILED and abandoned, and runs again the
   * latest scheduled slot of a job that such a run held, unless that slot's runs were abandoned
   * {@code campus.jobs.max-attempts} times already.
   */
  Uni<Void> reap() {
    return pool.preparedQuery(REAP)
        .execute()
        .invoke(
            rows ->
                rows.forEach(
                    row -> {
                      String job = row.getString("job");
                      OffsetDateTime slot = row.getOffsetDateTime("scheduled_for");
                      LOG.warnf(
                          "Job %s run %d was abandoned: instance %s stopped before it ended%s",
                          job,
                          row.getLong("id"),
                          row.getString("instance"),
                          slot == null ? "" : " (slot " + slot + ")");
                      outcome(job, "FAILED");
                      if (!row.getBoolean("retake") || !knows(job)) {
                        return;
                      }
                      long attempts = row.getLong("attempts");
                      if (attempts >= config.maxAttempts()) {
                        // Each of them killed its instance, or happened to be running when one
                        // went: running it again would likely take the next replica down too.
                        LOG.errorf(
                            "Job %s gave up slot %s after %d abandoned attempts"
                                + " (campus.jobs.max-attempts): the slot stays FAILED, the job"
                                + " runs again at its next slot",
                            job, slot, attempts);
                        return;
                      }
                      runScheduled(job, slot.toInstant()).subscribe().with(r -> {}, f -> {});
                    }))
        .replaceWithVoid();
  }

  private Uni<JobRun> execute(BatchJob job, Claim claim) {
    JobRun claimed = claim.run();
    if (claimed == null || !"RUNNING".equals(claimed.status())) {
      if (claimed != null) {
        report(job, claimed);
      }
      return release(claim.connection(), job.name()).map(ignored -> claimed);
    }
    Timer.Sample sample = Timer.start(registry);
    long runId = claimed.id();
    AtomicBoolean lost = new AtomicBoolean();
    return batches(job, runId)
        .chain(failed -> finish(runId, "COMPLETED", failed == 0 ? "" : failed + " batches failed"))
        .onFailure(f -> !(f instanceof LostClaim))
        .recoverWithUni(f -> finish(runId, "FAILED", String.valueOf(f.getMessage())))
        .onFailure(LostClaim.class)
        .recoverWithUni(
            f -> {
              // Its record is the reaper's now (FAILED, abandoned, counted as failed there).
              lost.set(true);
              LOG.warnf(
                  "Job %s run %d lost its claim: its lock was gone (connection lost) and a reap"
                      + " marked it FAILED and abandoned; it stopped without recording more",
                  job.name(), runId);
              return find(runId);
            })
        // After the outcome is recorded: a RUNNING run is never seen without its lock held.
        .eventually(() -> release(claim.connection(), job.name()))
        .invoke(
            run -> {
              // Tagged job_name: Prometheus owns the `job` label (it would become exported_job).
              sample.stop(registry.timer("campus.job.duration", "job_name", job.name()));
              if (!lost.get()) {
                report(job, run);
              }
            });
  }

  /** A run's record was no longer its own to write: it was reaped while the run went on. */
  private static final class LostClaim extends RuntimeException {
    LostClaim(long runId) {
      super("run " + runId + " is no longer RUNNING: it was reaped", null, false, false);
    }
  }

  private void report(BatchJob job, JobRun run) {
    outcome(job.name(), run.status());
    LOG.infof(
        "Job %s run %d %s: %d processed in %d batches, %d failed",
        job.name(), run.id(), run.status(), run.processed(), run.batches(), run.failedBatches());
  }

  private void outcome(String job, String status) {
    runs(registry, job, status.toLowerCase(java.util.Locale.ROOT)).increment();
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
        .invoke(
            rows -> {
              if (rows.rowCount() == 0) {
                // Fails the run's batches: no further batch starts.
                throw new LostClaim(runId);
              }
            })
        .replaceWithVoid();
  }

  private Uni<JobRun> finish(long runId, String status, String detail) {
    return pool.preparedQuery(FINISH)
        .execute(Tuple.of(runId, status, detail))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new LostClaim(runId);
              }
              return view(rows.iterator().next());
            });
  }

  /**
   * Releases the job's lock if this connection holds it, then the connection. The pool keeps the
   * session open, so a lock left behind would hold every later run of the job off, and the reaper
   * cannot help (the lock is held): if the unlock fails (or is cancelled), the connection is
   * discarded instead of going back to the pool, and its session's end releases the lock. If the
   * connection is broken its session, and the lock, are gone anyway.
   */
  private static Uni<Void> release(SqlConnection connection, String job) {
    AtomicBoolean unlocked = new AtomicBoolean();
    return connection
        .preparedQuery(UNLOCK)
        .execute(Tuple.of(job))
        .invoke(() -> unlocked.set(true))
        .replaceWithVoid()
        .onFailure()
        .recoverWithItem(
            f -> {
              LOG.warnf(
                  "Could not release job %s's lock (%s): closing the connection that may hold it",
                  job, f);
              return null;
            })
        .eventually(() -> unlocked.get() ? connection.close() : discard(connection));
  }

  /**
   * Closes a pooled connection's session instead of handing the connection back: the pool's close
   * only returns it, session and advisory locks included. Its socket is closed (PostgreSQL is told
   * to terminate first), the pool drops the connection once it sees it closed, and only then is it
   * closed as usual, which settles its lease; so no other borrower is ever handed it. A connection
   * of its own (not pooled), or one already closed, is simply closed.
   */
  private static Uni<Void> discard(SqlConnection connection) {
    if (!(connection.getDelegate() instanceof SqlConnectionInternal held)) {
      return connection.close();
    }
    Connection pooled = held.unwrap();
    if (pooled == pooled.unwrap()
        || !(pooled.unwrap() instanceof SocketConnectionBase socket)
        || !socket.isValid()) {
      return connection.close();
    }
    return Uni.createFrom()
        .<Void>emitter(
            dropped -> {
              // Told it is closed before the pool drops it, in one go on its event loop: go on
              // after that.
              connection.closeHandler(
                  () -> {
                    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
                    if (context == null) {
                      dropped.complete(null);
                    } else {
                      context.runOnContext(v -> dropped.complete(null));
                    }
                  });
              socket.close(
                  pooled instanceof Connection.Holder holder ? holder : held,
                  io.vertx.core.Promise.promise());
            })
        .ifNoItem()
        .after(DISCARD_WAIT)
        .recoverWithUni(() -> Uni.createFrom().voidItem())
        .eventually(connection::close);
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
