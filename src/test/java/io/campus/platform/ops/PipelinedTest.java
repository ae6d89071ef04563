package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.activity.ActivityRepository;
import io.campus.auth.SessionRepository;
import io.campus.certificate.CertificateRepository;
import io.campus.dashboard.DashboardRepository;
import io.campus.enrollment.EnrollmentRepository;
import io.campus.mentor.MentorRepository;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.PgWireCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The hottest single-statement reads (token lookups, enrollment lists, certificate eligibility, the
 * loads of the cached pages that writes invalidate: mentors' students, dashboards, activity feeds)
 * and writes (lesson completion, enrollment, assessments) share connections by pipelining: several
 * are on the wire at once on one connection, instead of each waiting for a connection of its own.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class PipelinedTest {

  @Inject SessionRepository sessions;
  @Inject OpsConfig ops;
  @Inject Vertx vertx;
  @Inject MeterRegistry registry;
  @Inject Pipelined pipelined;

  @Inject EnrollmentRepository enrollments;
  @Inject CertificateRepository certificates;
  @Inject MentorRepository mentors;
  @Inject DashboardRepository dashboards;
  @Inject ActivityRepository activity;

  @Test
  void concurrentTokenLookupsArePipelinedOnFewConnections() {
    assertPipelined(() -> sessions.findUser(randomHash()), ops.db().readConnections());
  }

  @Test
  void concurrentEnrollmentListsArePipelinedOnFewConnections() {
    assertPipelined(
        () -> enrollments.list(randomId(), true, 0, null, 1), ops.db().readConnections());
  }

  @Test
  void concurrentEligibilityChecksArePipelinedOnFewConnections() {
    assertPipelined(
        () -> certificates.eligibility(randomId(), randomId(), false), ops.db().readConnections());
  }

  /**
   * The reads behind a cached page that its writes invalidate (a mentor's students after each
   * assessment, a dashboard and a feed after each completion): in a pool of a few connections, each
   * held a whole round trip, their misses queued for seconds behind each other at a thousand
   * connections while PostgreSQL answered each in under a millisecond.
   */
  @Test
  void concurrentMentorStudentListsArePipelinedOnFewConnections() {
    assertPipelined(
        () -> mentors.students(randomId(), null, 20).onFailure().recoverWithNull(),
        ops.db().readConnections());
  }

  @Test
  void concurrentDashboardsArePipelinedOnFewConnections() {
    assertPipelined(() -> dashboards.load(randomId()), ops.db().readConnections());
  }

  @Test
  void concurrentActivityFeedsArePipelinedOnFewConnections() {
    assertPipelined(() -> activity.feed(randomId(), null, 20), ops.db().readConnections());
  }

  /**
   * Completions of unknown lessons: the statement runs and finds nothing to change (a 404 for the
   * caller), which is all the wire needs to show.
   */
  @Test
  void concurrentLessonCompletionsArePipelinedOnTheirOwnFewConnections() {
    assertPipelined(
        () ->
            enrollments
                .completeLesson(randomId(), randomId(), 10, 50)
                .onFailure()
                .recoverWithNull(),
        ops.db().writeConnections());
  }

  @Test
  void concurrentEnrollmentsArePipelinedOnTheirOwnFewConnections() {
    assertPipelined(
        () -> enrollments.enroll(randomId(), randomId()).onFailure().recoverWithNull(),
        ops.db().writeConnections());
  }

  /**
   * A pipelined statement is prepared once per connection and then only executed. Under
   * PostgreSQL's default plan choice the server planned each statement anew for its first five
   * executions on a connection, and the enrollment list on a quarter of all of them, the planning
   * costing twenty times the execution.
   */
  @Test
  void pipelinedStatementsAreNotPlannedPerExecution() {
    for (int i = 0; i < 4; i++) {
      burst(16, () -> enrollments.list(randomId(), true, 0, null, 1));
      burst(16, () -> certificates.eligibility(randomId(), randomId(), false));
      burst(
          16,
          () ->
              enrollments
                  .completeLesson(randomId(), randomId(), 10, 50)
                  .onFailure()
                  .recoverWithNull());
    }
    assertPlannedOnce(pipelined.reads());
    assertPlannedOnce(pipelined.writes());
  }

  /** Every connection of the client answers for its own session: ask a few times. */
  private void assertPlannedOnce(SqlClient client) {
    long generic = 0;
    for (int i = 0; i < 8; i++) {
      Row plans =
          client
              .query(
                  "select coalesce(sum(custom_plans), 0) as custom,"
                      + " coalesce(sum(generic_plans), 0) as generic from pg_prepared_statements")
              .execute()
              .await()
              .atMost(Duration.ofSeconds(10))
              .iterator()
              .next();
      assertThat(plans.getLong("custom")).as("statements planned for one execution").isZero();
      generic += plans.getLong("generic");
    }
    assertThat(generic).as("executions of plans made once").isPositive();
  }

  /**
   * Requests arriving together on one event loop run as separate tasks, each issuing its statement:
   * the client wrote and flushed each on its own, one write system call and one packet for
   * PostgreSQL to read per statement (64 writes here). They leave together.
   */
  @Test
  void statementsIssuedInOneLoopPassLeaveInFewWrites() {
    int lookups = 64;
    Supplier<Uni<?>> statement =
        () -> pipelined.reads().preparedQuery("select $1::bigint").execute(Tuple.of(randomId()));
    separateTasks(lookups, statement);
    double fewest = Double.MAX_VALUE;
    for (int attempt = 0; attempt < 3 && fewest > lookups / 8; attempt++) {
      double before = flushes();
      separateTasks(lookups, statement);
      fewest = Math.min(fewest, flushes() - before);
    }
    assertThat(fewest)
        .as("writes that carried %d statements", lookups)
        .isLessThanOrEqualTo(lookups / 8);
  }

  private double flushes() {
    return registry.find("campus.db.pipelined.flushes").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** Each statement issued by a task of its own, all queued on one event loop at once. */
  private void separateTasks(int lookups, Supplier<Uni<?>> read) {
    Context context = vertx.getDelegate().getOrCreateContext();
    List<CompletableFuture<Object>> done = new ArrayList<>();
    for (int i = 0; i < lookups; i++) {
      done.add(new CompletableFuture<>());
    }
    context.runOnContext(
        ignored -> {
          for (int i = 0; i < lookups; i++) {
            CompletableFuture<Object> future = done.get(i);
            context.runOnContext(
                task ->
                    read.get().subscribe().with(future::complete, future::completeExceptionally));
          }
        });
    CompletableFuture.allOf(done.toArray(new CompletableFuture[0]))
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
  }

  private void assertPipelined(Supplier<Uni<?>> read, int connections) {
    int lookups = 64;
    // A first burst opens the connections and prepares the statement on each (preparing sends its
    // own Sync ahead of the execution's), so the measured burst is executions only.
    burst(lookups, read);
    // Up to three measured bursts: one burst of a full suite run once had every answer back before
    // the next lookup was written (timing we do not control); a client that does not pipeline
    // never has more than 2 unanswered in any burst, so the best of three still proves it.
    int maxInFlight = 0;
    for (int attempt = 0; attempt < 3 && maxInFlight <= 2; attempt++) {
      PgWireCounter.reset();
      burst(lookups, read);

      PgWireCounter.Counts counts = PgWireCounter.counts();
      assertThat(counts.statements()).isEqualTo(lookups);
      assertThat(counts.roundTrips()).isEqualTo(lookups);
      // Pipelined: few connections, each with many lookups on the wire at once. One statement per
      // connection at a time would need the pool's connections and show at most 2 unanswered.
      assertThat(PgWireCounter.connectionsUsed())
          .as("connections that carried the lookups")
          .isLessThanOrEqualTo(connections);
      maxInFlight = Math.max(maxInFlight, PgWireCounter.maxInFlight());
    }
    assertThat(maxInFlight)
        .as("lookups on one connection waiting for their answers at once")
        .isGreaterThan(2);
  }

  /**
   * Issues the lookups from one event-loop task, as concurrent requests on one loop do: none can be
   * answered before all are sent. (From the test thread, a busy machine may answer each lookup
   * before the next is issued, and the test would measure the machine, not the client.)
   */
  private void burst(int lookups, Supplier<Uni<?>> read) {
    Uni.createFrom()
        .<List<Object>>emitter(
            emitter ->
                vertx
                    .getOrCreateContext()
                    .runOnContext(
                        () -> {
                          List<Uni<Object>> burst = new ArrayList<>();
                          for (int i = 0; i < lookups; i++) {
                            burst.add(read.get().map(Object.class::cast));
                          }
                          Uni.join()
                              .all(burst)
                              .andFailFast()
                              .subscribe()
                              .with(emitter::complete, emitter::fail);
                        }))
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private static long randomId() {
    return ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000);
  }

  private static byte[] randomHash() {
    byte[] hash = new byte[32];
    ThreadLocalRandom.current().nextBytes(hash);
    return hash;
  }
}
