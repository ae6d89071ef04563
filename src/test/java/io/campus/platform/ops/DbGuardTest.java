package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.notNullValue;

import io.campus.auth.SessionRepository;
import io.campus.enrollment.EnrollmentRepository;
import io.campus.platform.common.ProblemException;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A full pool is our own overload, not a database failure: it must answer 503 with Retry-After at
 * once, without retries and without opening the database breakers.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class DbGuardTest {

  @Inject DbGuard db;
  @Inject CircuitBreakerMaintenance breakers;
  @Inject Vertx vertx;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  String user;

  @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
  int poolSize;

  @Inject OpsConfig ops;
  @Inject TestData data;
  @Inject SessionRepository sessions;
  @Inject EnrollmentRepository enrollments;

  @AfterEach
  void closeBreakers() {
    breakers.resetAll();
  }

  @Test
  void waitQueueRejectionsAreFast503sThatNeitherRetryNorOpenTheBreakers() {
    // A pool of one connection and no wait queue: while its connection is held, every statement
    // is refused by the Vert.x pool itself (ConnectionPoolTooBusyException).
    Pool tiny = ownPool(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(0));
    SqlConnection held = tiny.getConnection().await().atMost(Duration.ofSeconds(5));
    try {
      AtomicInteger attempts = new AtomicInteger();
      for (int i = 0; i < 40; i++) {
        Throwable failure =
            db.read(
                    DbGuard.Lane.POOL,
                    () -> {
                      attempts.incrementAndGet();
                      return tiny.query("select 1").execute();
                    })
                .onItemOrFailure()
                .transform((rows, error) -> error)
                .await()
                .atMost(Duration.ofSeconds(5));
        assertThat(failure).isInstanceOf(ProblemException.class);
        ProblemException problem = (ProblemException) failure;
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.retryAfterSeconds()).isNotNull();
      }
      assertThat(attempts).as("a refused read is not retried").hasValue(40);
      assertThat(breakers.currentState(DbGuard.READ_BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);

      for (int i = 0; i < 40; i++) {
        db.write(DbGuard.Lane.POOL, () -> tiny.query("select 1").execute())
            .onFailure()
            .recoverWithNull()
            .await()
            .atMost(Duration.ofSeconds(5));
      }
      assertThat(breakers.currentState(DbGuard.WRITE_BREAKER))
          .isEqualTo(CircuitBreakerState.CLOSED);
    } finally {
      held.closeAndForget();
      tiny.closeAndForget();
    }
  }

  @Test
  void aReadOnAConnectionTheDatabaseJustClosedIsTriedAgain() {
    // What a PostgreSQL restart does to the connections a client holds: the server ends them,
    // and a statement scheduled on one afterwards is failed by the client, never sent.
    Pool tiny = ownPool(new PoolOptions().setMaxSize(2));
    SqlConnection doomed = tiny.getConnection().await().atMost(Duration.ofSeconds(5));
    try {
      AtomicBoolean closed = new AtomicBoolean();
      doomed.closeHandler(() -> closed.set(true));
      int pid =
          doomed
              .query("select pg_backend_pid()")
              .execute()
              .await()
              .atMost(Duration.ofSeconds(5))
              .iterator()
              .next()
              .getInteger(0);
      tiny.query("select pg_terminate_backend(" + pid + ")")
          .execute()
          .await()
          .atMost(Duration.ofSeconds(5));
      Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(closed);

      AtomicInteger attempts = new AtomicInteger();
      String answer =
          db.read(
                  DbGuard.Lane.POOL,
                  () ->
                      (attempts.incrementAndGet() == 1 ? doomed : tiny)
                          .query("select 'answered'")
                          .execute()
                          .map(rows -> rows.iterator().next().getString(0)))
              .await()
              .atMost(Duration.ofSeconds(5));

      assertThat(answer).isEqualTo("answered");
      assertThat(attempts).hasValue(2);
    } finally {
      tiny.closeAndForget();
    }
  }

  /**
   * A guarded unit adds no trip through the event loop's task queue: issued on an event loop, its
   * work starts, and an immediate answer arrives, within the same task. Under load each such trip
   * waits behind all the input the loop has yet to read (tens of milliseconds at a thousand
   * connections), and a unit took two: one to start, one to answer.
   */
  @Test
  void aGuardedUnitStartsAndAnswersWithinTheCallersTask() throws Exception {
    for (DbGuard.Lane lane : DbGuard.Lane.values()) {
      for (boolean write : new boolean[] {false, true}) {
        Context context = vertx.getDelegate().getOrCreateContext();
        CompletableFuture<List<Boolean>> seen = new CompletableFuture<>();
        context.runOnContext(
            ignored -> {
              AtomicBoolean started = new AtomicBoolean();
              AtomicBoolean answered = new AtomicBoolean();
              Supplier<Uni<String>> work =
                  () -> {
                    started.set(true);
                    return Uni.createFrom().item("now");
                  };
              (write ? db.write(lane, work) : db.read(lane, work))
                  .subscribe()
                  .with(item -> answered.set(true), seen::completeExceptionally);
              seen.complete(List.of(started.get(), answered.get()));
            });
        assertThat(seen.get(5, TimeUnit.SECONDS))
            .as("%s %s: started, answered within the task", write ? "write" : "read", lane)
            .containsExactly(true, true);
      }
    }
  }

  /**
   * A read tried again after its connection failed runs each attempt, and answers, on the caller's
   * context (where its session and the request's answer belong), although the backoff's timer
   * starts the next attempt on a thread of its own. The answer once arrived on that timer thread:
   * the attempt ended on the caller's loop before the timer thread had hooked onto it, so the rest
   * of the chain ran where the hook was made. Several rounds, as that is a race.
   */
  @Test
  void aRetriedReadRunsEveryAttemptAndAnswersOnTheCallersContext() throws Exception {
    // 8 rounds of a failure and a success: below the read breaker's volume threshold of 20.
    for (int round = 0; round < 8; round++) {
      Context context = vertx.getDelegate().getOrCreateContext();
      List<Context> attempts = new CopyOnWriteArrayList<>();
      CompletableFuture<List<Object>> answer = new CompletableFuture<>();
      context.runOnContext(
          ignored ->
              db.read(
                      DbGuard.Lane.POOL,
                      () -> {
                        attempts.add(io.vertx.core.Vertx.currentContext());
                        return attempts.size() == 1
                            ? Uni.createFrom()
                                .failure(new java.net.ConnectException("connection refused"))
                            : Uni.createFrom().item("answered");
                      })
                  .subscribe()
                  .with(
                      item ->
                          answer.complete(
                              java.util.Arrays.asList(item, io.vertx.core.Vertx.currentContext())),
                      answer::completeExceptionally));
      assertThat(answer.get(5, TimeUnit.SECONDS))
          .as("round %d: the answer and the context it arrived on", round)
          .containsExactly("answered", context);
      assertThat(attempts).as("round %d", round).containsExactly(context, context);
    }
  }

  @Test
  void beyondPoolAndQueueWorkWaitsItsTurnAndIsRefusedOnlyAfterTheWaitBudget() {
    int capacity = poolSize + ops.db().maxWaitQueueSize();
    List<UniEmitter<? super String>> waiting = new CopyOnWriteArrayList<>();
    AtomicInteger finished = new AtomicInteger();
    for (int i = 0; i < capacity; i++) {
      db.read(DbGuard.Lane.POOL, () -> Uni.createFrom().<String>emitter(waiting::add))
          .subscribe()
          .with(item -> finished.incrementAndGet(), failure -> finished.incrementAndGet());
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> waiting.size() == capacity);
    try {
      // A burst beyond the pool is not turned away: the unit waits and runs when a slot frees.
      AtomicInteger called = new AtomicInteger();
      AtomicReference<Object> served = new AtomicReference<>();
      db.read(
              DbGuard.Lane.POOL,
              () -> {
                called.incrementAndGet();
                return Uni.createFrom().item("ran");
              })
          .subscribe()
          .with(served::set, served::set);
      Awaitility.await().during(Duration.ofMillis(200)).until(() -> served.get() == null);
      assertThat(called).hasValue(0);
      waiting.remove(0).complete("done");
      Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> served.get() != null);
      assertThat(served.get()).isEqualTo("ran");

      // One that waited longer than the budget is refused when its turn comes, without running.
      db.read(DbGuard.Lane.POOL, () -> Uni.createFrom().<String>emitter(waiting::add))
          .subscribe()
          .with(item -> {}, failure -> {});
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> waiting.size() == capacity);
      AtomicReference<Object> stale = new AtomicReference<>();
      db.read(
              DbGuard.Lane.POOL,
              () -> {
                called.incrementAndGet();
                return Uni.createFrom().item("late");
              })
          .subscribe()
          .with(stale::set, stale::set);
      long budgetMillis = ops.db().maxWait().toMillis();
      Awaitility.await()
          .during(Duration.ofMillis(budgetMillis + 200))
          .atMost(Duration.ofMillis(budgetMillis + 2000))
          .until(() -> stale.get() == null);
      waiting.remove(0).complete("done");
      Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> stale.get() != null);
      assertThat(called).as("the stale unit never ran").hasValue(1);
      assertThat(stale.get())
          .isInstanceOfSatisfying(
              ProblemException.class,
              problem -> {
                assertThat(problem.status()).isEqualTo(503);
                assertThat(problem.retryAfterSeconds()).isNotNull();
              });
    } finally {
      waiting.forEach(e -> e.complete("done"));
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == capacity);
    assertThat(db.inFlight()).isZero();
    assertThat(
            db.read(DbGuard.Lane.POOL, () -> Uni.createFrom().item("ran"))
                .await()
                .atMost(Duration.ofSeconds(1)))
        .isEqualTo("ran");
    assertThat(breakers.currentState(DbGuard.READ_BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);
  }

  /**
   * Pipelined statements have lanes of their own: with the pool's lane full and more units waiting
   * in it, a token lookup and a lesson completion still run at once instead of queueing behind the
   * pool's units (and being refused after the wait budget, as they were when all units shared one
   * queue).
   */
  @Test
  void pipelinedUnitsDoNotQueueBehindAFullPool() {
    int capacity = poolSize + ops.db().maxWaitQueueSize();
    List<UniEmitter<? super String>> waiting = new CopyOnWriteArrayList<>();
    AtomicInteger finished = new AtomicInteger();
    for (int i = 0; i < capacity + 5; i++) {
      db.read(DbGuard.Lane.POOL, () -> Uni.createFrom().<String>emitter(waiting::add))
          .subscribe()
          .with(item -> finished.incrementAndGet(), failure -> finished.incrementAndGet());
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> waiting.size() == capacity);
    try {
      // In one shared queue they would wait for a slot that never frees while the pool is held.
      Duration generous = Duration.ofSeconds(5);
      byte[] unknownToken = new byte[32];
      assertThat(sessions.findUser(unknownToken).await().atMost(generous)).isNull();
      assertThat(
              enrollments
                  .completeLesson(-1, -1, 10, 50)
                  .map(Object.class::cast)
                  .onFailure(ProblemException.class)
                  .recoverWithItem(failure -> ((ProblemException) failure).status())
                  .await()
                  .atMost(generous))
          .as("an unknown lesson: 404 from the statement, not 503 from the queue")
          .isEqualTo(404);
      assertThat(waiting).as("the pool's lane is still full").hasSize(capacity);
    } finally {
      // The units queued behind the held ones start (and hold) when those end: release them too.
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                waiting.forEach(e -> e.complete("done"));
                return finished.get() == capacity + 5;
              });
    }
    assertThat(db.inFlight()).isZero();
  }

  /**
   * Paths that once called their repository without the guard (certificate eligibility, login) are
   * now guarded by the repository's own declaration: an open read breaker answers 503 at once.
   */
  @Test
  void repositoryReadsAreRefusedWhileTheReadBreakerIsOpen() {
    TestData.Account student = data.account(Role.STUDENT);
    long courseId = data.publishedCourse(data.account(Role.MENTOR).id(), 1).id();
    String eligibility = "/api/certificates/eligibility?courseId=" + courseId;
    // The course has no certification (404); the student's token is now cached, so below only the
    // eligibility read itself meets the breaker.
    given().auth().oauth2(student.token()).get(eligibility).then().statusCode(404);

    for (int i = 0; i < 20; i++) {
      db.read(
              DbGuard.Lane.POOL,
              () -> Uni.createFrom().failure(new IllegalStateException("database broken")))
          .onFailure()
          .recoverWithNull()
          .await()
          .atMost(Duration.ofSeconds(5));
    }
    assertThat(breakers.currentState(DbGuard.READ_BREAKER)).isEqualTo(CircuitBreakerState.OPEN);

    given()
        .auth()
        .oauth2(student.token())
        .get(eligibility)
        .then()
        .statusCode(503)
        .header("Retry-After", notNullValue());
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", student.email(), "password", "not-the-password"))
        .post("/api/auth/login")
        .then()
        .statusCode(503)
        .header("Retry-After", notNullValue());
  }

  /** A pool of the test's own on the service's database, closed by the test. */
  private Pool ownPool(PoolOptions options) {
    return Pool.newInstance(
        PgBuilder.pool()
            .with(options)
            .connectingTo(PgConnectOptions.fromUri(url).setUser(user))
            .using(vertx.getDelegate())
            .build());
  }
}
