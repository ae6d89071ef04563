package io.campus.platform.jobs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.achievement.AchievementRecalculation;
import io.campus.auth.ExpiredDataCleanup;
import io.campus.progress.StreakReset;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Jobs;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class JobRunnerTest {

  @Inject TestData data;
  @Inject JobRunner runner;
  @Inject Pool pool;
  @Inject Instance<BatchJob> jobs;
  @Inject JobsConfig config;
  @Inject MeterRegistry registry;
  @Inject io.vertx.mutiny.core.Vertx vertx;

  /**
   * Replicas agree on a slot only when their schedules fire at the same instants: a cron does on
   * every replica, an interval ({@code every}) counts from each replica's own start, so each would
   * claim slots of its own and every replica would run the job.
   */
  @Test
  void everyScheduledJobRunsOnACron() {
    List<String> onIntervals = new java.util.ArrayList<>();
    for (BatchJob job : jobs) {
      Class<?> type = io.quarkus.arc.ClientProxy.unwrap(job).getClass();
      for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
        for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
          io.quarkus.scheduler.Scheduled scheduled =
              m.getAnnotation(io.quarkus.scheduler.Scheduled.class);
          if (scheduled != null && scheduled.cron().isEmpty()) {
            onIntervals.add(job.name());
          }
        }
      }
    }
    assertThat(onIntervals).isEmpty();
  }

  @Test
  void twoReplicasFiringTheSameScheduleRunTheJobOnce() {
    JobRunner otherReplica = new JobRunner(pool, jobs, config, registry);
    Instant slot = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3600);
    CompletableFuture<JobRun> first =
        runner.runScheduled(AchievementRecalculation.NAME, slot).subscribeAsCompletionStage();
    CompletableFuture<JobRun> second =
        otherReplica.runScheduled(AchievementRecalculation.NAME, slot).subscribeAsCompletionStage();
    // The one that finds the lock held reports the slot skipped, or nothing when the runner's row
    // was there first; a skip it recorded first is taken over by the runner (same row).
    List<JobRun> runs =
        java.util.stream.Stream.of(first.join(), second.join())
            .filter(r -> r != null && !r.status().equals("SKIPPED"))
            .toList();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).status()).isEqualTo("COMPLETED");
    assertThat(
            data.count(
                "select count(*) from job_runs where job = $1 and scheduled_for = $2",
                AchievementRecalculation.NAME,
                java.time.OffsetDateTime.ofInstant(slot, java.time.ZoneOffset.UTC)))
        .isEqualTo(1);
  }

  @Test
  void aRunWhoseInstanceDiedIsReportedFailedAndItsSlotRunsAgain() {
    String admin = data.account(Role.ADMIN).token();
    OffsetDateTime slot =
        OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusDays(2);
    // As an instance killed in the middle of a scheduled run leaves it: RUNNING, and with its
    // connection gone nobody holds the job's lock.
    long dead =
        data.single(
                "insert into job_runs (job, scheduled_for, trigger, status, instance, started_at)"
                    + " values ($1, $2, 'SCHEDULE', 'RUNNING', 'killed01', now() - interval '5"
                    + " minutes') returning id",
                Tuple.of(StreakReset.NAME, slot))
            .getLong("id");
    double failedBefore = runs(StreakReset.NAME, "failed");
    // A run of a live instance: it holds its job's lock on its own connection.
    SqlConnection live = pool.getConnection().await().indefinitely();
    long alive;
    try {
      live.query("select pg_advisory_lock(hashtext('campus-job:test-flaky'))")
          .execute()
          .await()
          .indefinitely();
      alive =
          data.single(
                  "insert into job_runs (job, trigger, status, instance, started_at)"
                      + " values ('test-flaky', 'ADMIN', 'RUNNING', 'alive001',"
                      + " now() - interval '1 hour') returning id",
                  Tuple.tuple())
              .getLong("id");

      // Any claim (here an admin's run of another job) first looks for runs nobody holds.
      Jobs.runAndWait(admin, ExpiredDataCleanup.NAME);

      JobRun reported = runner.find(dead).await().indefinitely();
      assertThat(reported.status()).isEqualTo("FAILED");
      assertThat(reported.detail()).contains("abandoned").contains("killed01");
      assertThat(reported.finishedAt()).isNotNull();
      assertThat(runs(StreakReset.NAME, "failed")).isEqualTo(failedBefore + 1);
      // The slot it held runs again, once, on a live instance.
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  data.count(
                          "select count(*) from job_runs where job = $1 and scheduled_for = $2"
                              + " and id <> $3 and status = 'COMPLETED'",
                          StreakReset.NAME,
                          slot,
                          dead)
                      == 1);
      assertThat(
              data.count(
                  "select count(*) from job_runs where job = $1 and scheduled_for = $2",
                  StreakReset.NAME,
                  slot))
          .isEqualTo(2);
      // A run whose instance still holds the job's lock is left alone, however long it takes.
      assertThat(runner.find(alive).await().indefinitely().status()).isEqualTo("RUNNING");
      data.execute(
          "update job_runs set status = 'COMPLETED', finished_at = now() where id = $1",
          Tuple.of(alive));
    } finally {
      // a pooled connection's session outlives close(): the lock must be released
      live.query("select pg_advisory_unlock_all()").execute().await().indefinitely();
      live.close().await().indefinitely();
    }
  }

  @Test
  void aSlotFiredWhileAnotherRunHeldTheLockIsRunByTheNextClaimThatHoldsIt() {
    Instant slot = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(3, ChronoUnit.DAYS);
    SqlConnection other = pool.getConnection().await().indefinitely();
    JobRun skipped;
    try {
      other
          .query("select pg_advisory_lock(hashtext('campus-job:test-flaky'))")
          .execute()
          .await()
          .indefinitely();
      skipped = runner.runScheduled("test-flaky", slot).await().indefinitely();
      assertThat(skipped.status()).isEqualTo("SKIPPED");
      assertThat(skipped.detail()).contains("lock");
    } finally {
      other.query("select pg_advisory_unlock_all()").execute().await().indefinitely();
      other.close().await().indefinitely();
    }
    // Another replica firing the same slot once the lock is free runs it, in the same record.
    JobRun run =
        new JobRunner(pool, jobs, config, registry)
            .runScheduled("test-flaky", slot)
            .await()
            .indefinitely();
    assertThat(run.id()).isEqualTo(skipped.id());
    assertThat(run.status()).isEqualTo("COMPLETED");
    assertThat(run.batches()).isEqualTo(3);
    // and the lock went with the run: the next one is not skipped
    assertThat(Jobs.runAndWait(data.account(Role.ADMIN).token(), "test-flaky").getString("status"))
        .isEqualTo("COMPLETED");
  }

  @Test
  void aSlotWhoseRunsKeepDyingIsGivenUpAfterItsAttempts() {
    // A run that kills its instance (out of memory) dies again wherever its slot is retaken: the
    // slot runs at most campus.jobs.max-attempts times in all.
    int attempts = config.maxAttempts();
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture = capture(lines);
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(JobRunner.class.getName());
    log.addHandler(capture);
    try {
      // One attempt short of the limit: its slot is still retaken.
      OffsetDateTime retaken =
          OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusDays(5);
      for (int i = 1; i < attempts - 1; i++) {
        deadRun("test-flaky", retaken, true);
      }
      long dying = deadRun("test-flaky", retaken, false);
      runner.reap().await().indefinitely();
      assertThat(runner.find(dying).await().indefinitely().status()).isEqualTo("FAILED");
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  data.count(
                          "select count(*) from job_runs where job = 'test-flaky'"
                              + " and scheduled_for = $1 and status = 'COMPLETED'",
                          retaken)
                      == 1);

      // Its last attempt died too: the slot is left FAILED, and the log says so.
      OffsetDateTime givenUp = retaken.plusDays(1);
      for (int i = 1; i < attempts; i++) {
        deadRun("test-flaky", givenUp, true);
      }
      long last = deadRun("test-flaky", givenUp, false);
      runner.reap().await().indefinitely();
      JobRun reported = runner.find(last).await().indefinitely();
      assertThat(reported.status()).isEqualTo("FAILED");
      assertThat(reported.detail()).contains("abandoned");
      // no further attempt starts (a retake claims the slot within milliseconds)
      Awaitility.await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  data.count(
                          "select count(*) from job_runs where job = 'test-flaky'"
                              + " and scheduled_for = $1 and not abandoned",
                          givenUp)
                      == 0);
      assertThat(
              data.count(
                  "select count(*) from job_runs where job = 'test-flaky' and scheduled_for = $1",
                  givenUp))
          .isEqualTo(attempts);
      assertThat(lines)
          .anyMatch(
              line ->
                  line.contains("test-flaky")
                      && line.contains("gave up")
                      && line.contains(attempts + " abandoned attempts"));
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void aRunReapedWhileItWentOnStopsAndLeavesItsRecordAbandoned() throws Exception {
    OffsetDateTime slot =
        OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusDays(7);
    // A later slot has run, so this one is not retaken when reaped: every batch is this run's.
    data.execute(
        "insert into job_runs (job, scheduled_for, trigger, status, instance, finished_at)"
            + " values ($1, $2, 'SCHEDULE', 'COMPLETED', 'later001', now())",
        Tuple.of(GatedTestJob.NAME, slot.plusDays(1)));
    GatedTestJob.close();
    try {
      JobRunner replica = new JobRunner(pool, jobs, oneBatchAtATime(), registry);
      CompletableFuture<JobRun> run =
          replica.runScheduled(GatedTestJob.NAME, slot.toInstant()).subscribeAsCompletionStage();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> GatedTestJob.started() == 1);
      long id =
          data.single(
                  "select id from job_runs where job = $1 and scheduled_for = $2",
                  Tuple.of(GatedTestJob.NAME, slot))
              .getLong("id");
      // Its instance loses the connection that holds the job's lock (a network blip)...
      TestData.asOwner(
          "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory'"
              + " and objsubid = 1 and granted"
              + " and database = (select oid from pg_database where datname = current_database())"
              + " and ((classid::bigint << 32) | objid::bigint) = hashtext('campus-job:"
              + GatedTestJob.NAME
              + "')");
      // ...so another replica's next claim finds the run without its lock and abandons it.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                runner.reap().await().indefinitely();
                return "FAILED".equals(runner.find(id).await().indefinitely().status());
              });

      GatedTestJob.open();
      JobRun ended = run.get(20, java.util.concurrent.TimeUnit.SECONDS);
      JobRun record = runner.find(id).await().indefinitely();
      assertThat(record.status()).isEqualTo("FAILED");
      assertThat(record.detail()).startsWith("abandoned");
      assertThat(record.batches()).isZero();
      assertThat(record.finishedAt()).isNotNull();
      // The run stopped at the batch it was in and says how its record stands.
      assertThat(GatedTestJob.started()).isEqualTo(1);
      assertThat(ended.status()).isEqualTo("FAILED");
    } finally {
      GatedTestJob.open();
    }
  }

  @Test
  void aLockThatCouldNotBeReleasedEndsWithItsConnection() {
    String admin = data.account(Role.ADMIN).token();
    String held =
        "select count(*) from pg_locks where locktype = 'advisory' and objsubid = 1 and granted"
            + " and database = (select oid from pg_database where datname = current_database())"
            + " and ((classid::bigint << 32) | objid::bigint) = hashtext('campus-job:"
            + GatedTestJob.NAME
            + "')";
    // Releasing the lock fails while the connection holding it is fine (here the function is
    // refused; in production a cancelled or timed-out statement).
    TestData.asOwner(
        "revoke execute on function pg_catalog.pg_advisory_unlock(bigint) from public");
    try {
      assertThat(Jobs.runAndWait(admin, GatedTestJob.NAME).getString("status"))
          .isEqualTo("COMPLETED");
      // The connection is closed rather than pooled: its session, and the lock, end.
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> data.count(held) == 0);
    } finally {
      TestData.asOwner("grant execute on function pg_catalog.pg_advisory_unlock(bigint) to public");
      // A lock left behind would hold the job off for the rest of the test run.
      TestData.asOwner(held.replace("select count(*)", "select pg_terminate_backend(pid)"));
    }
    // The pool goes on without that connection, and the job runs.
    assertThat(Jobs.runAndWait(admin, GatedTestJob.NAME).getString("status"))
        .isEqualTo("COMPLETED");
  }

  /** The jobs' settings, with one batch at a time. */
  private JobsConfig oneBatchAtATime() {
    return configWith("concurrency", 1);
  }

  /** The jobs' settings, with {@code setting} answering {@code value}. */
  private JobsConfig configWith(String setting, Object value) {
    return (JobsConfig)
        java.lang.reflect.Proxy.newProxyInstance(
            JobsConfig.class.getClassLoader(),
            new Class<?>[] {JobsConfig.class},
            (proxy, method, args) ->
                method.getName().equals(setting) ? value : method.invoke(config, args));
  }

  /**
   * A scheduled run of an instance that died: RUNNING with nobody holding the job's lock, or, once
   * reaped, FAILED and abandoned.
   */
  private long deadRun(String job, OffsetDateTime slot, boolean reaped) {
    return data.single(
            "insert into job_runs (job, scheduled_for, trigger, status, instance, abandoned,"
                + " detail, started_at, finished_at)"
                + " values ($1, $2, 'SCHEDULE', case when $3 then 'FAILED' else 'RUNNING' end,"
                + " 'killed02', $3, case when $3 then 'abandoned: instance killed02 stopped"
                + " before the run ended' else '' end, now() - interval '5 minutes',"
                + " case when $3 then now() end) returning id",
            Tuple.of(job, slot, reaped))
        .getLong("id");
  }

  /** A handler adding each formatted log message to lines. */
  private static Handler capture(List<String> lines) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        lines.add(
            record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  private double runs(String job, String outcome) {
    var counter =
        registry.find("campus.job.runs").tag("job_name", job).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void recalculationAwardsWhatUsersQualifyForAndIsIdempotent() {
    TestData.Account student = data.account(Role.STUDENT);
    data.execute(
        "insert into user_stats (user_id, points, lessons_completed) values ($1, 5000, 400)",
        Tuple.of(student.id()));
    String code = TestData.unique("LATE").toUpperCase().replaceAll("[^A-Z0-9]", "_");
    data.execute(
        "insert into achievements (code, name, rule_type, threshold) values ($1, 'Late', 'LESSONS_COMPLETED', 300)",
        Tuple.of(code));
    String admin = data.account(Role.ADMIN).token();

    JsonPath run = Jobs.runAndWait(admin, AchievementRecalculation.NAME);
    assertThat(run.getString("status")).isEqualTo("COMPLETED");
    assertThat(run.getLong("processed")).isGreaterThanOrEqualTo(1);
    assertThat(run.getInt("failedBatches")).isZero();
    String awarded =
        "select count(*) from user_achievements ua join achievements a on a.id = ua.achievement_id"
            + " where ua.user_id = $1 and a.code = $2";
    assertThat(data.count(awarded, student.id(), code)).isEqualTo(1);

    Jobs.runAndWait(admin, AchievementRecalculation.NAME);
    assertThat(data.count(awarded, student.id(), code)).isEqualTo(1);
  }

  @Test
  void aFailingBatchIsCountedAndTheRunGoesOn() {
    String admin = data.account(Role.ADMIN).token();
    double before = registry.counter("campus.job.failed.batches", "job_name", "test-flaky").count();
    JsonPath run = Jobs.runAndWait(admin, "test-flaky");
    assertThat(run.getString("status")).isEqualTo("COMPLETED");
    assertThat(run.getInt("batches")).isEqualTo(3);
    assertThat(run.getInt("failedBatches")).isEqualTo(1);
    assertThat(run.getLong("processed")).isEqualTo(20);
    assertThat(registry.counter("campus.job.failed.batches", "job_name", "test-flaky").count())
        .isEqualTo(before + 1);
  }

  @Test
  void streaksOfInactiveUsersEndAndExpiredSessionsGo() {
    TestData.Account idle = data.account(Role.STUDENT);
    TestData.Account active = data.account(Role.STUDENT);
    data.execute(
        "insert into user_stats (user_id, current_streak, longest_streak, last_active_on)"
            + " values ($1, 5, 5, current_date - 3), ($2, 4, 4, current_date - 1)",
        Tuple.of(idle.id(), active.id()));
    TestData.Account expired = data.account(Role.STUDENT, Duration.ofMillis(1));
    String admin = data.account(Role.ADMIN).token();

    Jobs.runAndWait(admin, StreakReset.NAME);
    assertThat(data.count("select current_streak from user_stats where user_id = $1", idle.id()))
        .isZero();
    assertThat(data.count("select current_streak from user_stats where user_id = $1", active.id()))
        .isEqualTo(4);

    Jobs.runAndWait(admin, ExpiredDataCleanup.NAME);
    assertThat(data.count("select count(*) from sessions where user_id = $1", expired.id()))
        .isZero();
    assertThat(data.count("select count(*) from sessions where user_id = $1", active.id()))
        .isEqualTo(1);
  }

  /**
   * A slot whose run could not even be recorded (the database unreachable at its fire time) is not
   * run by anyone: it counts as a failed run and says so, or a daily job would skip a day unseen.
   */
  @Test
  void aSlotThatCouldNotBeClaimedCountsAsFailedAndIsLogged() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Pool unreachable =
        Pool.newInstance(
            io.vertx.pgclient.PgBuilder.pool()
                .connectingTo(
                    new io.vertx.pgclient.PgConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(closed)
                        .setConnectTimeout(2000))
                .using(vertx.getDelegate())
                .build());
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture = capture(lines);
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(JobRunner.class.getName());
    log.addHandler(capture);
    try {
      JobRunner cutOff = new JobRunner(unreachable, jobs, config, registry);
      double failedBefore = runs(StreakReset.NAME, "failed");
      Instant slot = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(7200);
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> cutOff.runScheduled(StreakReset.NAME, slot).await().atMost(Duration.ofSeconds(20)));
      assertThat(runs(StreakReset.NAME, "failed")).isEqualTo(failedBefore + 1);
      assertThat(lines).anyMatch(l -> l.contains(StreakReset.NAME) && l.contains(slot.toString()));
    } finally {
      log.removeHandler(capture);
      unreachable.close().await().indefinitely();
    }
  }

  /** Every run leaves a row: without a retention, a job every ten minutes adds 52 560 a year. */
  @Test
  void runsOlderThanTheHistoryRetentionGo() {
    String job = "test-history-" + System.nanoTime();
    long old = historyRun(job, "COMPLETED", 31);
    long oldFailed = historyRun(job, "FAILED", 31);
    long recent = historyRun(job, "COMPLETED", 29);

    Jobs.runAndWait(data.account(Role.ADMIN).token(), ExpiredDataCleanup.NAME);

    assertThat(data.count("select count(*) from job_runs where id in ($1, $2)", old, oldFailed))
        .isZero();
    assertThat(data.count("select count(*) from job_runs where id = $1", recent)).isEqualTo(1);
    assertThat(config.historyRetention()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void aHistoryRetentionShorterThanADayIsRefusedAtStart() {
    JobsConfig hourly = configWith("historyRetention", Duration.ofHours(1));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new JobRunner(pool, jobs, hourly, registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("campus.jobs.history-retention");
  }

  private long historyRun(String job, String status, int daysAgo) {
    return data.single(
            "insert into job_runs (job, trigger, status, instance, started_at, finished_at)"
                + " values ($1, 'ADMIN', $2, 'test', now() - make_interval(days => $3),"
                + " now() - make_interval(days => $3))"
                + " returning id",
            Tuple.of(job, status, daysAgo))
        .getLong("id");
  }

  @Test
  void anEndedStreakShowsAtOnceInTheMentorsCachedStudentList() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account idle = data.account(Role.STUDENT);
    data.assign(mentor.id(), idle.id());
    data.execute(
        "insert into user_stats (user_id, current_streak, longest_streak, last_active_on)"
            + " values ($1, 5, 5, current_date - 3)",
        Tuple.of(idle.id()));
    String students = "/api/mentors/" + mentor.id() + "/students";
    given()
        .auth()
        .oauth2(mentor.token())
        .get(students)
        .then()
        .statusCode(200)
        .body("items[0].currentStreak", org.hamcrest.Matchers.equalTo(5));

    Jobs.runAndWait(data.account(Role.ADMIN).token(), StreakReset.NAME);

    given()
        .auth()
        .oauth2(mentor.token())
        .get(students)
        .then()
        .statusCode(200)
        .body("items[0].currentStreak", org.hamcrest.Matchers.equalTo(0));
  }

  @Test
  void onlyAdminsRunJobs() {
    given().post("/api/admin/jobs/" + StreakReset.NAME + "/runs").then().statusCode(401);
    given()
        .auth()
        .oauth2(data.account(Role.STUDENT).token())
        .post("/api/admin/jobs/" + StreakReset.NAME + "/runs")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(data.account(Role.MENTOR).token())
        .get("/api/admin/jobs/runs")
        .then()
        .statusCode(403);
    String admin = data.account(Role.ADMIN).token();
    given().auth().oauth2(admin).post("/api/admin/jobs/no-such-job/runs").then().statusCode(404);
    given().auth().oauth2(admin).get("/api/admin/jobs/runs/999999999").then().statusCode(404);
    given()
        .auth()
        .oauth2(admin)
        .queryParam("limit", 2)
        .get("/api/admin/jobs/runs")
        .then()
        .statusCode(200);
  }
}
