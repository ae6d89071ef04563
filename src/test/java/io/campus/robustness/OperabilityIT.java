package io.campus.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.blackbox.CampusApp;
import io.campus.blackbox.Client;
import io.campus.blackbox.OsProcesses;
import io.campus.blackbox.OwnPostgres;
import io.campus.blackbox.OwnRedis;
import io.campus.blackbox.Seed;
import io.campus.blackbox.StartupLog;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Black-box operability checks of the packaged service (prod profile) against a PostgreSQL and a
 * Redis of the test's own, which the test stops, freezes and restarts: probes, degraded operation
 * without the database, and graceful shutdown under load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperabilityIT {

  private static OwnPostgres pg;
  private static OwnRedis redis;
  private static CampusApp app;
  private static Seed.Account mentor;
  private static List<Seed.Account> students;
  private static List<Seed.Course> courses;
  private static final Client CLIENT = new Client(Duration.ofSeconds(10));

  @BeforeAll
  static void start() throws Exception {
    pg = OwnPostgres.start("operability");
    redis = OwnRedis.start("operability");
    app = CampusApp.start("operability", pg, redis, Map.of());
    try (Connection c = pg.connect()) {
      Seed seed = new Seed(c);
      mentor = seed.accounts("MENTOR", 1).get(0);
      students = seed.accounts("STUDENT", 20);
      courses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        courses.add(seed.publishedCourse(mentor.id(), 20));
      }
    }
    System.out.printf(
        "Operability: %s, Redis %d, service pid %d%n", pg.describe(), redis.port(), app.pid());
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  @Order(0)
  void startsWithoutErrorsOrWarnings() throws Exception {
    List<String> startup = StartupLog.untilStarted(Files.readAllLines(app.log()));
    assertThat(startup).anyMatch(line -> line.contains(") started in "));
    assertThat(StartupLog.problems(startup)).as("ERROR/WARN lines while starting").isEmpty();
  }

  @Test
  @Order(1)
  void readinessFollowsPostgresWhileLivenessStaysUp() throws Exception {
    assertThat(status(app, "ready")).isEqualTo(200);
    pg.stopFast();
    long stopped = System.nanoTime();
    long down;
    try {
      down = awaitStatus(app, "ready", 503, Duration.ofSeconds(5));
      assertThat(millis(stopped, down)).as("ms until readiness is DOWN").isLessThan(2_000);
      assertThat(body(app, "ready")).contains("\"database\":\"down");
      for (int i = 0; i < 10; i++) {
        assertThat(status(app, "live")).as("liveness without PostgreSQL").isEqualTo(200);
        OsProcesses.sleep(100);
      }
    } finally {
      pg.start();
    }
    long back = System.nanoTime();
    long up = awaitStatus(app, "ready", 200, Duration.ofSeconds(15));
    System.out.printf(
        "Readiness: DOWN %d ms after PostgreSQL stopped, UP %d ms after it returned%n",
        millis(stopped, down), millis(back, up));
    assertThat(millis(back, up)).as("ms until readiness is UP again").isLessThan(5_000);
    assertThat(status(app, "live")).isEqualTo(200);
  }

  @Test
  @Order(2)
  void redisDownLeavesReadinessUpWithADegradedDetail() throws Exception {
    redis.kill();
    try {
      long killed = System.nanoTime();
      long deadline = killed + Duration.ofSeconds(15).toNanos();
      String body = body(app, "ready");
      while (!body.contains("degraded") && System.nanoTime() < deadline) {
        assertThat(status(app, "ready")).as("readiness without Redis").isEqualTo(200);
        OsProcesses.sleep(100);
        body = body(app, "ready");
      }
      assertThat(body).contains("\"redis\":\"degraded");
      assertThat(status(app, "ready")).isEqualTo(200);
      System.out.printf(
          "Redis: degraded detail %d ms after it died%n", millis(killed, System.nanoTime()));
      // The API keeps answering from PostgreSQL.
      assertThat(CLIENT.get(app.url("/api/courses/" + courses.get(0).slug()), null).status())
          .isEqualTo(200);
      assertThat(CLIENT.get(app.url("/api/enrollments"), students.get(0).token()).status())
          .isEqualTo(200);
    } finally {
      redis.start();
    }
    long restarted = System.nanoTime();
    long deadline = restarted + Duration.ofSeconds(30).toNanos();
    while (!body(app, "ready").contains("\"redis\":\"up\"") && System.nanoTime() < deadline) {
      OsProcesses.sleep(100);
    }
    assertThat(body(app, "ready")).contains("\"redis\":\"up\"");
    System.out.printf(
        "Redis: up again %d ms after its restart%n", millis(restarted, System.nanoTime()));
  }

  @Test
  @Order(3)
  void withoutPostgresCachedReadsAnswerAndWritesFailFast() throws Exception {
    Seed.Account student = students.get(1);
    String detail = app.url("/api/courses/" + courses.get(1).slug());
    Client.Answer before = CLIENT.get(detail, null);
    assertThat(before.status()).isEqualTo(200);
    // Caches the session, so authentication needs no database below.
    assertThat(CLIENT.get(app.url("/api/auth/me"), student.token()).status()).isEqualTo(200);
    pg.stopFast();
    try {
      awaitStatus(app, "ready", 503, Duration.ofSeconds(5));
      Client.Answer cached = CLIENT.get(detail, null);
      assertThat(cached.status()).as("cached course detail without PostgreSQL").isEqualTo(200);
      assertThat(cached.body()).isEqualTo(before.body());
      for (int i = 0; i < 3; i++) {
        long sent = System.nanoTime();
        Client.Answer write =
            CLIENT.post(
                app.url("/api/enrollments"),
                student.token(),
                "{\"courseId\":" + courses.get(2 + i % 2).id() + "}");
        long took = millis(sent, System.nanoTime());
        assertThat(write.status()).as("write without PostgreSQL: " + write.body()).isEqualTo(503);
        assertThat(write.header("Content-Type")).startsWith("application/problem+json");
        assertThat(write.header("Retry-After")).isNotBlank();
        assertThat(took).as("ms to answer 503").isLessThan(1_000);
        System.out.printf("Write without PostgreSQL: 503 in %d ms%n", took);
      }
    } finally {
      pg.start();
    }
    awaitStatus(app, "ready", 200, Duration.ofSeconds(15));
    Client.Answer retried =
        CLIENT.post(
            app.url("/api/enrollments"),
            student.token(),
            "{\"courseId\":" + courses.get(2).id() + "}");
    assertThat(retried.status()).as("the same write once PostgreSQL is back").isEqualTo(201);
  }

  @Test
  @Order(4)
  void probesAnswerAtOnceWhilePostgresIsFrozen() throws Exception {
    List<Long> latencies = new ArrayList<>();
    boolean sawDown = false;
    pg.freeze();
    long frozen = System.nanoTime();
    try {
      while (millis(frozen, System.nanoTime()) < 5_000) {
        for (String probe : List.of("ready", "live")) {
          long start = System.nanoTime();
          HttpResponse<String> response = app.health(probe, Duration.ofSeconds(3));
          latencies.add((System.nanoTime() - start) / 1_000);
          if (probe.equals("ready") && response.statusCode() == 503) {
            sawDown = true;
          }
          if (probe.equals("live")) {
            assertThat(response.statusCode()).as("liveness with PostgreSQL frozen").isEqualTo(200);
          }
        }
        OsProcesses.sleep(20);
      }
    } finally {
      pg.thaw();
    }
    long thawed = System.nanoTime();
    long up = awaitStatus(app, "ready", 200, Duration.ofSeconds(15));
    Collections.sort(latencies);
    long p50 = latencies.get(latencies.size() / 2);
    long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
    long max = latencies.get(latencies.size() - 1);
    System.out.printf(
        "Probes with PostgreSQL frozen: %d calls, p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
            + " UP %d ms after thaw%n",
        latencies.size(), p50 / 1e3, p99 / 1e3, max / 1e3, millis(thawed, up));
    assertThat(sawDown).as("readiness reported DOWN while PostgreSQL was frozen").isTrue();
    // Generous bounds, not a benchmark: a probe that waited on the database would take its
    // timeout (1 s) or hang; the rest is scheduling noise of a busy machine.
    assertThat(p99).as("p99 probe, µs").isLessThan(100_000);
    assertThat(max).as("slowest probe, µs").isLessThan(500_000);
    assertThat(millis(thawed, up)).isLessThan(5_000);
  }

  @Test
  @Order(5)
  void sigtermUnderLoadFailsNoRequestSentBeforeIt() throws Exception {
    try (CampusApp victim =
        CampusApp.start("shutdown", pg, redis, Map.of("quarkus.shutdown.delay", "PT3S"))) {
      record Outcome(long sent, long done, int status, String error) {}
      ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger next = new AtomicInteger();
      Client client = new Client(Duration.ofSeconds(30));
      ExecutorService threads = Executors.newFixedThreadPool(4);
      for (int t = 0; t < 4; t++) {
        threads.submit(
            () -> {
              while (running.get()) {
                int n = next.incrementAndGet();
                Seed.Account student = students.get(2 + n % 18);
                long sent = System.nanoTime();
                Client.Answer answer =
                    switch (n % 3) {
                      case 0 ->
                          client.get(victim.url("/api/courses/" + courses.get(n % 4).slug()), null);
                      case 1 -> client.get(victim.url("/api/enrollments"), student.token());
                      default ->
                          client.post(
                              victim.url(
                                  "/api/lessons/"
                                      + courses.get(0).lessonIds().get(n % 20)
                                      + "/complete"),
                              student.token(),
                              "");
                    };
                outcomes.add(new Outcome(sent, System.nanoTime(), answer.status(), answer.error()));
                OsProcesses.sleep(5);
              }
            });
      }
      // A steady load first: at least two seconds and a hundred answered requests.
      OsProcesses.sleep(2_000);
      OsProcesses.await(
          "100 answered requests", Duration.ofSeconds(30), () -> outcomes.size() >= 100);
      long signal = System.nanoTime();
      victim.terminate();
      // Readiness must say DOWN during the shutdown delay, while requests are still served.
      boolean sawDown = false;
      while (victim.alive() && millis(signal, System.nanoTime()) < 2_500) {
        try {
          if (victim.health("ready", Duration.ofMillis(500)).statusCode() == 503) {
            sawDown = true;
          }
        } catch (IOException e) {
          break;
        }
        OsProcesses.sleep(50);
      }
      int exit = victim.awaitExit(Duration.ofSeconds(40));
      long exited = System.nanoTime();
      OsProcesses.sleep(300);
      running.set(false);
      threads.shutdown();
      assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      List<Outcome> before = outcomes.stream().filter(o -> o.sent() < signal).toList();
      List<Outcome> failedBefore =
          before.stream().filter(o -> o.status() < 0 || o.status() >= 500).toList();
      long servedAfter =
          outcomes.stream()
              .filter(o -> o.sent() >= signal && o.status() > 0 && o.status() < 500)
              .count();
      long refusedAfter = outcomes.stream().filter(o -> o.sent() >= signal).count() - servedAfter;
      System.out.printf(
          "SIGTERM under load: %d requests sent before the signal, %d failed; after it %d served"
              + " and %d refused; exit code %d after %d ms%n",
          before.size(),
          failedBefore.size(),
          servedAfter,
          refusedAfter,
          exit,
          millis(signal, exited));
      assertThat(before).hasSizeGreaterThan(50);
      assertThat(failedBefore).as("requests sent before SIGTERM that failed").isEmpty();
      assertThat(sawDown).as("readiness DOWN during the shutdown delay").isTrue();
      assertThat(servedAfter).as("requests still served during the shutdown delay").isPositive();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static int status(CampusApp target, String probe) throws IOException {
    return target.health(probe, Duration.ofSeconds(2)).statusCode();
  }

  private static String body(CampusApp target, String probe) throws IOException {
    return target.health(probe, Duration.ofSeconds(2)).body().replace(" ", "");
  }

  /** Polls a probe every 20 ms until it has the status; returns the time it was seen. */
  private static long awaitStatus(CampusApp target, String probe, int expected, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (status(target, probe) == expected) {
        return System.nanoTime();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(probe + " never answered " + expected + " within " + timeout);
      }
      OsProcesses.sleep(20);
    }
  }

  private static long millis(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }
}
