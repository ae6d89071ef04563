package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Probes, metrics, rate limits and the database doctor, against the running service. */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class OperabilityTest {

  @Inject TestData data;
  @Inject Pool pool;

  @Test
  void probesReportStateWithoutTouchingDependencies() {
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("checks.find { it.name == 'campus' }.data.database", equalTo("up"))
                    .body(
                        "checks.find { it.name == 'campus' }.data.migrations",
                        containsString("applied"))
                    .body("checks.find { it.name == 'campus' }.data", hasKey("dbPoolActive"))
                    .body("checks.find { it.name == 'campus' }.data", hasKey("redisBreaker")));
  }

  @Test
  void metricsExposeEveryFamilyOperatorsUse() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 1);
    given().get("/api/courses/" + course.slug()).then().statusCode(200);
    given().auth().oauth2(student.token()).get("/api/dashboard").then().statusCode(200);
    pool.query("select pg_sleep(0.25)").execute().await().atMost(Duration.ofSeconds(5));
    given()
        .auth()
        .oauth2(data.account(Role.ADMIN).token())
        .post("/api/admin/jobs/session-cleanup/runs")
        .then()
        .statusCode(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String metrics =
                  given().get("/q/metrics").then().statusCode(200).extract().asString();
              for (String family :
                  List.of(
                      "http_server_requests_seconds_bucket",
                      "uri=\"/api/courses/{slug}\"",
                      "sql_pool_active",
                      "sql_pool_queue_size",
                      "campus_db_statements_seconds_bucket",
                      "campus_db_slow_statements_total",
                      "campus_http_shed_total",
                      "campus_http_in_flight",
                      "campus_cache_gets_total",
                      "campus_cache_loads_seconds",
                      "campus_cache_redis_errors_total",
                      "campus_cache_redis_breaker_open",
                      "ft_circuitbreaker_state_current",
                      "campus_job_runs_total",
                      "campus_job_duration_seconds",
                      "jvm_memory_used_bytes",
                      "process_cpu_usage")) {
                assertThat(metrics).as(family).contains(family);
              }
              // route templates only: no raw slug in any tag
              assertThat(metrics).doesNotContain(course.slug());
            });
  }

  /**
   * A job's failure counter exists at 0 before its first failure: a series that appears at 1 is no
   * increase to Prometheus, so the first failure of a daily job would never alert.
   */
  @Test
  void everyJobsOutcomesAreExportedBeforeTheyHappen() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    for (String job :
        List.of(
            "achievements-recalculation",
            "streak-reset",
            "audit-retention",
            "session-cleanup",
            "leaderboard-refresh")) {
      for (String outcome : List.of("completed", "failed")) {
        assertThat(metrics)
            .as(job + " " + outcome)
            .containsPattern(
                "campus_job_runs_total\\{[^}]*job_name=\""
                    + job
                    + "\",outcome=\""
                    + outcome
                    + "\"");
      }
    }
    assertThat(metrics)
        .containsPattern("campus_job_failed_batches_total\\{[^}]*job_name=\"streak-reset\"");
  }

  @Test
  void loginIsRateLimitedPerClient() {
    String client = "10.99." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
    int limited = 0;
    for (int i = 0; i < 25; i++) {
      int status =
          given()
              .header("X-Forwarded-For", client)
              .contentType(ContentType.JSON)
              .body(
                  Map.of(
                      "email",
                      TestData.unique("nobody") + "@example.org",
                      "password",
                      "wrong-password"))
              .post("/api/auth/login")
              .statusCode();
      if (status == 429) {
        limited++;
      }
    }
    assertThat(limited).isGreaterThan(0);
    given()
        .header("X-Forwarded-For", client)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "email", TestData.unique("nobody") + "@example.org", "password", "wrong-password"))
        .post("/api/auth/login")
        .then()
        .statusCode(429)
        .header("Retry-After", org.hamcrest.Matchers.notNullValue())
        .contentType("application/problem+json");
    // another client is not affected
    given()
        .header("X-Forwarded-For", client + "1")
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "email", TestData.unique("nobody") + "@example.org", "password", "wrong-password"))
        .post("/api/auth/login")
        .then()
        .statusCode(401);
  }

  @Test
  void doctorReportsEverySectionToAdminsOnly() {
    given().get("/api/admin/db").then().statusCode(401);
    given()
        .auth()
        .oauth2(data.account(Role.STUDENT).token())
        .get("/api/admin/db")
        .then()
        .statusCode(403);
    String admin = data.account(Role.ADMIN).token();
    var report =
        given()
            .auth()
            .oauth2(admin)
            .get("/api/admin/db")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(report.getMap("")).containsKeys(DbDoctor.SECTIONS.toArray(String[]::new));
    assertThat(report.getString("overview.database")).isNotBlank();
    given()
        .auth()
        .oauth2(admin)
        .queryParam("section", "nonsense")
        .get("/api/admin/db")
        .then()
        .statusCode(400);
    // the pool section alone: theDoctorAndReadinessReportEveryPool
  }

  /**
   * Each SQL pool (the shared pool and the pipelined read and write clients) has its own size: the
   * doctor and readiness report every one, not whichever gauge the registry finds first.
   */
  @Test
  void theDoctorAndReadinessReportEveryPool() {
    String admin = data.account(Role.ADMIN).token();
    // one connection of the shared pool held, so the pools differ
    io.vertx.mutiny.sqlclient.SqlConnection held = pool.getConnection().await().indefinitely();
    try {
      io.restassured.path.json.JsonPath report =
          given()
              .auth()
              .oauth2(admin)
              .queryParam("section", "pool")
              .get("/api/admin/db")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      java.util.Map<String, java.util.Map<String, Number>> pools = report.getMap("pool.pools");
      assertThat(pools).containsKeys("campus-reads", "campus-writes").hasSizeGreaterThan(2);
      double active = pools.values().stream().mapToDouble(p -> p.get("active").doubleValue()).sum();
      assertThat(active).isGreaterThanOrEqualTo(1);
      assertThat(report.getDouble("pool.active")).isEqualTo(active);

      long ready =
          given()
              .get("/q/health/ready")
              .then()
              .extract()
              .jsonPath()
              .getLong("checks.find { it.name == 'campus' }.data.dbPoolActive");
      assertThat(ready).isEqualTo(Math.round(active));
    } finally {
      held.close().await().indefinitely();
    }
  }

  @Test
  void slowQueriesAndIndexSuggestionsShowInTheDoctor() {
    pool.query("select pg_sleep(0.3) as deliberately_slow")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(5));
    // DDL as the owner: the service's role may not create tables.
    TestData.asOwner(
        "drop table if exists doctor_probe;"
            + " create table doctor_probe as select g as id, g % 100 as v"
            + " from generate_series(1, 20000) g; analyze doctor_probe");
    pool.withConnection(
            conn ->
                conn.preparedQuery("select count(*) from doctor_probe where v = $1")
                    .execute(Tuple.of(5))
                    .chain(
                        () ->
                            conn.preparedQuery("select count(*) from doctor_probe where v = $1")
                                .execute(Tuple.of(6)))
                    .chain(() -> conn.query("select pg_stat_force_next_flush()").execute())
                    .chain(() -> conn.query("select 1").execute()))
        .await()
        .atMost(Duration.ofSeconds(10));
    String admin = data.account(Role.ADMIN).token();
    given()
        .auth()
        .oauth2(admin)
        .queryParam("section", "slow-queries")
        .get("/api/admin/db")
        .then()
        .statusCode(200)
        .body(
            "'slow-queries'.seenByThisInstance.query",
            org.hamcrest.Matchers.hasItem(containsString("deliberately_slow")))
        .body("'slow-queries'", hasKey("pgStatStatements"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                given()
                    .auth()
                    .oauth2(admin)
                    .queryParam("section", "indexes")
                    .get("/api/admin/db")
                    .then()
                    .statusCode(200)
                    .body(
                        "indexes.sequential_scans.table",
                        org.hamcrest.Matchers.hasItem("doctor_probe"))
                    .body(
                        "indexes.sequential_scans.find { it.table == 'doctor_probe' }.suggestion",
                        containsString("index")));
    TestData.asOwner("drop table doctor_probe");
  }

  @Test
  void anAdminCancelsARunawayQuery() {
    CompletableFuture<?> runaway =
        pool.query("select pg_sleep(4) as runaway_query").execute().subscribeAsCompletionStage();
    String admin = data.account(Role.ADMIN).token();
    int[] pid = new int[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .until(
            () -> {
              List<Map<String, Object>> running =
                  given()
                      .auth()
                      .oauth2(admin)
                      .queryParam("section", "overview")
                      .get("/api/admin/db")
                      .then()
                      .extract()
                      .jsonPath()
                      .getList("overview.longest_running");
              for (Map<String, Object> q : running) {
                if (String.valueOf(q.get("query")).contains("runaway_query")) {
                  pid[0] = ((Number) q.get("pid")).intValue();
                  return true;
                }
              }
              return false;
            });
    given()
        .auth()
        .oauth2(admin)
        .post("/api/admin/db/queries/" + pid[0] + "/cancel")
        .then()
        .statusCode(200)
        .body("cancelled", equalTo(true));
    Awaitility.await().atMost(Duration.ofSeconds(2)).until(runaway::isDone);
    assertThat(runaway).isCompletedExceptionally();
    given().auth().oauth2(admin).post("/api/admin/db/queries/1/cancel").then().statusCode(404);
    given().auth().oauth2(admin).post("/api/admin/db/queries/abc/cancel").then().statusCode(400);
  }
}
