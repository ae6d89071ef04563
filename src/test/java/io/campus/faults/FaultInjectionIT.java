package io.campus.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.blackbox.CampusApp;
import io.campus.blackbox.OsProcesses;
import io.campus.blackbox.OwnPostgres;
import io.campus.blackbox.OwnRedis;
import io.campus.blackbox.Seed;
import io.campus.platform.devsupport.EmbeddedServers;
import io.campus.testsupport.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults under a steady mixed load against the packaged service (every {@code ./mvnw verify}):
 * Redis killed and frozen, PostgreSQL stopped and frozen, a burst of ten times the concurrency, and
 * SIGTERM of one of two instances behind haproxy. For each: requests served and failed by type, the
 * time until requests stop failing once the fault ends (at most 5 s), and every acknowledged write
 * in the database exactly once.
 */
@Tag("faults")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

  private static final int THREADS = 6;
  private static final Duration WARM_UP = Duration.ofSeconds(2);
  private static final Duration FAULT = Duration.ofSeconds(10);
  private static final Duration AFTER = Duration.ofSeconds(6);
  private static final long RECOVERY_LIMIT_MS = 5_000;

  private static OwnPostgres pg;
  private static OwnRedis redis;
  private static CampusApp app;
  private static MixedLoad load;
  private static final Map<String, String> SUMMARY = new LinkedHashMap<>();

  /** What the scenario measured. */
  record Outcome(
      Map<MixedLoad.Kind, long[]> byKind, long recoveryMs, long readyMs, Integrity integrity) {}

  /** Acknowledged writes missing from the database, and writes applied more than once. */
  record Integrity(long acked, long lost, long duplicated, List<String> problems) {}

  @BeforeAll
  static void start() throws Exception {
    pg = OwnPostgres.start("faults");
    redis = OwnRedis.start("faults");
    app = CampusApp.start("fault-a", pg, redis, Map.of());
    List<Seed.Account> students;
    List<Seed.Account> mentors;
    List<Seed.Course> courses = new ArrayList<>();
    Map<Long, List<Long>> studentsOfMentor = new LinkedHashMap<>();
    try (Connection c = pg.connect()) {
      Seed seed = new Seed(c);
      mentors = seed.accounts("MENTOR", 20);
      students = seed.accounts("STUDENT", 300);
      for (int i = 0; i < 40; i++) {
        courses.add(seed.publishedCourse(mentors.get(i % mentors.size()).id(), 4));
      }
      for (int m = 0; m < mentors.size(); m++) {
        List<Long> own = new ArrayList<>();
        for (int s = m * 15; s < (m + 1) * 15; s++) {
          own.add(students.get(s).id());
        }
        seed.assignAll(mentors.get(m).id(), own);
        studentsOfMentor.put(mentors.get(m).id(), own);
      }
    }
    load = new MixedLoad(app.url(""), students, mentors, studentsOfMentor, courses);
    System.out.printf("Faults: %s, own Redis, service pid %d%n", pg.describe(), app.pid());
  }

  @AfterAll
  static void stop() {
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            "%n%-22s %-15s %-15s %-15s %-15s %-15s %9s %8s %6s %6s %6s%n",
            "scenario (10 s)",
            "course reads",
            "my enrollments",
            "enroll",
            "complete lesson",
            "bulk assess",
            "recovery",
            "ready",
            "acked",
            "lost",
            "dup"));
    table.append(
        String.format(
            "%-22s %-15s %-15s %-15s %-15s %-15s %9s %8s %6s %6s %6s%n",
            "",
            "ok/429/failed",
            "ok/429/failed",
            "ok/429/failed",
            "ok/429/failed",
            "ok/429/failed",
            "ms",
            "ms",
            "",
            "",
            ""));
    SUMMARY.values().forEach(table::append);
    System.out.println(table);
    try {
      Path report =
          Path.of(System.getProperty("basedir", "."), "target/blackbox/faults-summary.txt");
      Files.createDirectories(report.getParent());
      Files.writeString(report, table.toString());
    } catch (IOException ignored) {
      // the table is on the console too
    }
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
  @Order(1)
  void redisKilledForTenSeconds() throws Exception {
    run("Redis killed", redis::kill, redis::start, app, false);
  }

  @Test
  @Order(2)
  void redisFrozenForTenSeconds() throws Exception {
    run("Redis frozen (SIGSTOP)", redis::freeze, redis::thaw, app, false);
  }

  @Test
  @Order(3)
  void postgresStoppedForTenSeconds() throws Exception {
    Outcome outcome = run("PostgreSQL stopped", pg::stopFast, pg::start, app, false);
    assertCatalogueServedFromCache(outcome);
  }

  @Test
  @Order(4)
  void postgresFrozenForTenSeconds() throws Exception {
    Outcome outcome = run("PostgreSQL frozen", pg::freeze, pg::thaw, app, false);
    assertCatalogueServedFromCache(outcome);
  }

  /** Every course was read before the fault, so stale-if-error has each one to fall back on. */
  private static void assertCatalogueServedFromCache(Outcome outcome) {
    assertThat(outcome.byKind().getOrDefault(MixedLoad.Kind.COURSE_READ, new long[3])[2])
        .as("course reads failed while the database was gone")
        .isZero();
  }

  @Test
  @Order(5)
  void burstOfTenTimesTheConcurrency() throws Exception {
    run("10x burst", () -> load.resize(THREADS * 10), () -> load.resize(THREADS), app, false);
  }

  @Test
  @Order(6)
  void sigtermOfOneOfTwoInstancesBehindHaproxy() throws Exception {
    String haproxy =
        Tools.require("haproxy", "SIGTERM behind a load balancer", "apt-get install -y haproxy")
            .toString();
    try (CampusApp second = CampusApp.start("fault-b", pg, redis, Map.of())) {
      int port = EmbeddedServers.freePort();
      Path dir = OsProcesses.workDirectory("haproxy");
      Path config = dir.resolve("haproxy.cfg");
      Files.writeString(config, haproxyConfig(port, app, second));
      Process proxy =
          new ProcessBuilder(haproxy, "-db", "-f", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("haproxy.log").toFile())
              .start();
      try {
        OsProcesses.await("haproxy", Duration.ofSeconds(10), () -> OsProcesses.listening(port));
        load.target("http://127.0.0.1:" + port);
        CampusApp victim = app;
        // The fault is the signal; the instance then drains and exits by itself.
        Outcome outcome = run("SIGTERM behind haproxy", victim::terminate, () -> {}, second, true);
        long failed = outcome.byKind().values().stream().mapToLong(c -> c[2]).sum();
        assertThat(failed).as("requests failed while the other instance took over").isZero();
        assertThat(victim.awaitExit(Duration.ofSeconds(40)))
            .as("exit after SIGTERM")
            .isNotNegative();
      } finally {
        proxy.destroy();
        proxy.waitFor();
      }
    }
  }

  // ---------------------------------------------------------------- the scenario runner

  /**
   * Warm-up, the fault for ten seconds, then six seconds of recovery under the same load. An
   * instantaneous fault (a signal) counts as ended when it is injected.
   */
  private Outcome run(
      String name, Runnable inject, Runnable heal, CampusApp observed, boolean instantaneous)
      throws Exception {
    int before = load.events.size();
    long startedAt = System.nanoTime();
    load.start(THREADS);
    long faultStart;
    long faultEnd;
    try {
      OsProcesses.sleep(WARM_UP.toMillis());
      faultStart = System.nanoTime();
      inject.run();
      long readyAt = -1;
      long faultOver = faultStart + FAULT.toNanos();
      while (System.nanoTime() < faultOver) {
        if (instantaneous && readyAt < 0 && observed.ready()) {
          readyAt = System.nanoTime();
        }
        OsProcesses.sleep(50);
      }
      heal.run();
      faultEnd = instantaneous ? faultStart : System.nanoTime();
      long deadline = System.nanoTime() + AFTER.toNanos();
      while (System.nanoTime() < deadline) {
        if (readyAt < 0 && observed.ready()) {
          readyAt = System.nanoTime();
        }
        OsProcesses.sleep(50);
      }
      load.stop();
      load.drainRetries(Duration.ofSeconds(20));
      List<MixedLoad.Event> events =
          new ArrayList<>(load.events).subList(before, load.events.size());
      Outcome outcome = measure(events, faultStart, faultEnd, readyAt, startedAt);
      SUMMARY.put(name, row(name, outcome));
      System.out.print("Fault " + row(name, outcome));
      System.out.println("  failures by answer: " + reasons(events));
      assertThat(events.stream().filter(e -> e.status() == 500).count())
          .as(
              () ->
                  "500s: a dependency that is gone must give a 503 with Retry-After; the service"
                      + " logged:"
                      + observed.unexpectedFailures())
          .isZero();
      assertThat(outcome.integrity().problems()).as("integrity after " + name).isEmpty();
      assertThat(outcome.integrity().lost()).as("acknowledged writes lost").isZero();
      assertThat(outcome.integrity().duplicated()).as("writes applied twice").isZero();
      assertThat(outcome.recoveryMs())
          .as("ms after the fault ended until requests stopped failing")
          .isLessThanOrEqualTo(RECOVERY_LIMIT_MS);
      return outcome;
    } finally {
      load.stop();
    }
  }

  private Outcome measure(
      List<MixedLoad.Event> events, long faultStart, long faultEnd, long readyAt, long startedAt)
      throws SQLException {
    Map<MixedLoad.Kind, long[]> byKind = new EnumMap<>(MixedLoad.Kind.class);
    long lastFailureSent = -1;
    for (MixedLoad.Event e : events) {
      long[] counts = byKind.computeIfAbsent(e.kind(), k -> new long[3]);
      if (e.failed()) {
        counts[2]++;
        lastFailureSent = Math.max(lastFailureSent, e.sent());
      } else if (e.rateLimited()) {
        counts[1]++;
      } else {
        counts[0]++;
      }
    }
    // Recovery: from the end of the fault until the last request that still failed was sent.
    long recovery = lastFailureSent <= faultEnd ? 0 : (lastFailureSent - faultEnd) / 1_000_000;
    long ready = readyAt < 0 ? -1 : Math.max(0, (readyAt - faultEnd) / 1_000_000);
    return new Outcome(byKind, recovery, ready, integrity());
  }

  /** Every acknowledged write exactly once, and no side effect (stats, feed) applied twice. */
  private Integrity integrity() throws SQLException {
    List<String> problems = new ArrayList<>();
    long lost = 0;
    long duplicated = 0;
    try (Connection c = pg.connect()) {
      List<MixedLoad.Pair> enrollments = new ArrayList<>(load.ackedEnrollments);
      List<MixedLoad.Pair> completions = new ArrayList<>(load.ackedCompletions);
      List<MixedLoad.Bulk> bulks = new ArrayList<>(load.ackedBulks);
      lost +=
          missing(
              c,
              enrollments,
              "select count(*) from unnest(?::bigint[], ?::bigint[]) a(u, t)"
                  + " where (select count(*) from enrollments e"
                  + " where e.user_id = a.u and e.course_id = a.t) <> 1");
      lost +=
          missing(
              c,
              completions,
              "select count(*) from unnest(?::bigint[], ?::bigint[]) a(u, t)"
                  + " where (select count(*) from lesson_progress p where p.user_id = a.u"
                  + " and p.lesson_id = a.t and p.status = 'COMPLETED') <> 1");
      List<MixedLoad.Pair> items = new ArrayList<>();
      List<String> skills = new ArrayList<>();
      for (MixedLoad.Bulk b : bulks) {
        for (Long student : b.students()) {
          items.add(new MixedLoad.Pair(b.mentor().id(), student));
          skills.add(b.skill());
        }
      }
      try (PreparedStatement q =
          c.prepareStatement(
              "select count(*) from unnest(?::bigint[], ?::bigint[], ?::text[]) a(m, s, k)"
                  + " where (select count(*) from assessments x where x.mentor_id = a.m"
                  + " and x.student_id = a.s and x.skill = a.k) <> 1")) {
        q.setArray(1, longs(c, items.stream().map(MixedLoad.Pair::userId).toList()));
        q.setArray(2, longs(c, items.stream().map(MixedLoad.Pair::targetId).toList()));
        q.setArray(3, c.createArrayOf("text", skills.toArray()));
        lost += single(q);
      }
      // Side effects of one write counted twice: feed events and per-user counters.
      Map<String, String> checks = new LinkedHashMap<>();
      checks.put(
          "enrollment events",
          "select count(*) from (select user_id, subject_id from activity_events"
              + " where type = 'ENROLLED' group by 1, 2 having count(*) > 1) d");
      checks.put(
          "lesson events",
          "select count(*) from (select user_id, subject_id from activity_events"
              + " where type = 'LESSON_COMPLETED' group by 1, 2 having count(*) > 1) d");
      checks.put(
          "assessment events",
          "select count(*) from (select subject_id from activity_events"
              + " where type = 'ASSESSED' group by 1 having count(*) > 1) d");
      checks.put(
          "enrollment counters",
          "select count(*) from user_stats s where s.enrollments <>"
              + " (select count(*) from enrollments e where e.user_id = s.user_id)");
      checks.put(
          "lesson counters",
          "select count(*) from user_stats s where s.lessons_completed <>"
              + " (select count(*) from lesson_progress p where p.user_id = s.user_id"
              + " and p.status = 'COMPLETED')");
      checks.put(
          "assessment counters",
          "select count(*) from user_stats s where s.assessments_received <>"
              + " (select count(*) from assessments a where a.student_id = s.user_id)");
      for (Map.Entry<String, String> check : checks.entrySet()) {
        try (PreparedStatement q = c.prepareStatement(check.getValue())) {
          long bad = single(q);
          if (bad > 0) {
            duplicated += bad;
            problems.add(bad + " " + check.getKey() + " wrong");
          }
        }
      }
      if (load.pendingRetries() > 0) {
        problems.add(load.pendingRetries() + " keyed submissions never answered");
      }
      return new Integrity(
          enrollments.size() + completions.size() + items.size(), lost, duplicated, problems);
    }
  }

  private static long missing(Connection c, List<MixedLoad.Pair> pairs, String sql)
      throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      q.setArray(1, longs(c, pairs.stream().map(MixedLoad.Pair::userId).toList()));
      q.setArray(2, longs(c, pairs.stream().map(MixedLoad.Pair::targetId).toList()));
      return single(q);
    }
  }

  private static Array longs(Connection c, List<Long> values) throws SQLException {
    return c.createArrayOf("bigint", values.toArray());
  }

  private static long single(PreparedStatement q) throws SQLException {
    try (ResultSet rs = q.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Map<String, Long> reasons(List<MixedLoad.Event> events) {
    Map<String, Long> reasons = new java.util.TreeMap<>();
    for (MixedLoad.Event e : events) {
      if (e.failed()) {
        String reason = e.status() < 0 ? String.valueOf(e.error()) : Integer.toString(e.status());
        reasons.merge(e.kind() + " " + reason, 1L, Long::sum);
      }
    }
    return reasons;
  }

  private static String row(String name, Outcome o) {
    StringBuilder row = new StringBuilder(String.format("%-22s", name));
    for (MixedLoad.Kind kind : MixedLoad.Kind.values()) {
      long[] c = o.byKind().getOrDefault(kind, new long[3]);
      row.append(String.format(" %-15s", c[0] + "/" + c[1] + "/" + c[2]));
    }
    row.append(
        String.format(
            " %9d %8d %6d %6d %6d%n",
            o.recoveryMs(),
            o.readyMs(),
            o.integrity().acked(),
            o.integrity().lost(),
            o.integrity().duplicated()));
    return row.toString();
  }

  // ---------------------------------------------------------------- haproxy

  /**
   * Round robin over both instances, each checked on its readiness probe every 200 ms (out after
   * three failed checks, well within the two-second shutdown delay; one slow check on a busy
   * machine must not take an instance out); a refused connection is retried on the other instance
   * (never a request that reached a server, so no write is sent twice). One request per server
   * connection, so no request lands on a connection the stopping instance is closing.
   */
  private static String haproxyConfig(int port, CampusApp a, CampusApp b) {
    return """
        global
          maxconn 2000
        defaults
          mode http
          timeout connect 1s
          timeout client 30s
          timeout server 30s
          retries 3
          option redispatch
          retry-on conn-failure
          option http-server-close
        frontend api
          bind 127.0.0.1:%d
          default_backend campus
        backend campus
          balance roundrobin
          option httpchk GET /q/health/ready
          http-check expect status 200
          timeout check 1s
          server a 127.0.0.1:%d check port %d inter 200 fall 3 rise 2
          server b 127.0.0.1:%d check port %d inter 200 fall 3 rise 2
        """
        .formatted(port, a.httpPort(), a.managementPort(), b.httpPort(), b.managementPort());
  }
}
