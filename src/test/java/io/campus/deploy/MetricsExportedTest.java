package io.campus.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Jobs;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric a dashboard or an alert queries is exported by the service (scraped from /q/metrics
 * after a few requests and a job run, so lazily registered meters exist), or is one of the series
 * that Prometheus or kube-state-metrics produce.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class MetricsExportedTest {

  /** Series that do not come from the service. */
  static final Map<String, String> EXTERNAL =
      Map.of(
          "up", "Prometheus (scrape health)",
          "kube_pod_status_ready", "kube-state-metrics",
          "kube_pod_container_resource_limits", "kube-state-metrics",
          "container_memory_working_set_bytes", "cAdvisor (kubelet)");

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

  @Inject TestData data;

  @Test
  void everyQueriedMetricIsExported() {
    exerciseTheService();
    String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Set<String> exported = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.find()) {
        exported.add(m.group(1));
      }
    }
    assertThat(exported).contains("http_server_requests_seconds_bucket", "sql_pool_active");
    // Prometheus sets `job` itself and renames a scraped `job` label to `exported_job`.
    assertThat(scrape.lines().filter(l -> !l.startsWith("#")))
        .noneMatch(l -> l.matches("^[a-zA-Z_:][a-zA-Z0-9_:]*\\{(.*,)?job=\".*"));
    assertThat(scrape).contains("campus_job_runs_total{").contains("job_name=\"streak-reset\"");

    Map<String, String> queries = new TreeMap<>(Monitoring.dashboardQueries());
    queries.putAll(Monitoring.ruleQueries());
    Set<String> recorded = Monitoring.recordedNames();
    Map<String, Set<String>> missing = new TreeMap<>();
    queries.forEach(
        (where, expr) -> {
          for (String name : Monitoring.metricNames(expr)) {
            if (!exported.contains(name)
                && !recorded.contains(name)
                && !EXTERNAL.containsKey(name)) {
              missing.computeIfAbsent(name, k -> new TreeSet<>()).add(where);
            }
          }
        });
    assertThat(missing).as("metrics queried but not exported").isEmpty();
    assertThat(queries).hasSizeGreaterThan(50);
  }

  private static final Pattern POOL_AGGREGATION =
      Pattern.compile(
          "\\b(sum|max|min|avg)\\s*(by\\s*\\(([^)]*)\\))?\\s*\\(\\s*(\\w+\\()?sql_pool_");

  /**
   * Campus has several SQL pools (the shared pool, the pipelined clients, the probe's), each with
   * its own size and purpose: a pool panel that adds them up shows a "pool" nobody configured, and
   * a ratio's maximum hides which one is full.
   */
  @Test
  void poolPanelsShowEachPoolApart() {
    exerciseTheService();
    String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Set<String> pools = new TreeSet<>();
    scrape
        .lines()
        .filter(l -> l.startsWith("sql_pool_active{"))
        .forEach(
            l -> {
              Matcher name = Pattern.compile("\\bpool_name=\"([^\"]*)\"").matcher(l);
              assertThat(name.find()).as(l).isTrue();
              pools.add(name.group(1));
            });
    assertThat(pools)
        .as("SQL pools exported")
        .contains("campus-reads", "campus-writes")
        .hasSizeGreaterThan(2);

    Map<String, String> queries = new TreeMap<>(Monitoring.dashboardQueries());
    queries.putAll(Monitoring.ruleQueries());
    Map<String, String> mixing = new TreeMap<>();
    queries.forEach(
        (where, expr) -> {
          Matcher m = POOL_AGGREGATION.matcher(expr);
          while (m.find()) {
            if (m.group(3) == null || !m.group(3).contains("pool_name")) {
              mixing.put(where, expr);
            }
          }
        });
    assertThat(mixing).as("pool queries that aggregate over pool_name").isEmpty();
  }

  /** A bucket selector in PromQL: {@code name_bucket{..., le="0.5", ...}}. */
  private static final Pattern BUCKET_SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*_bucket)\\{[^}]*\\ble=\"([^\"]+)\"");

  /**
   * The latency histograms publish a few fixed buckets per series, among them every boundary an
   * alert, recording rule or dashboard selects; Micrometer's percentile histogram published about
   * 60 per series and made up most of a scrape.
   */
  @Test
  void latencyHistogramsAreSmallAndHoldEveryBoundaryQueried() {
    exerciseTheService();
    String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();

    for (String family :
        List.of("http_server_requests_seconds_bucket", "campus_db_statements_seconds_bucket")) {
      Map<String, Set<String>> boundaries = new TreeMap<>();
      scrape
          .lines()
          .filter(l -> l.startsWith(family + "{"))
          .forEach(
              l -> {
                Matcher le = Pattern.compile("\\ble=\"([^\"]+)\"").matcher(l);
                assertThat(le.find()).as(l).isTrue();
                String series = l.substring(0, l.lastIndexOf('}')).replace(le.group(), "");
                boundaries.computeIfAbsent(series, k -> new TreeSet<>()).add(le.group(1));
              });
      assertThat(boundaries).as(family).isNotEmpty();
      boundaries.forEach(
          (series, le) -> assertThat(le).as(series).hasSizeBetween(2, 12).contains("+Inf"));
    }

    Map<String, String> queries = new TreeMap<>(Monitoring.dashboardQueries());
    queries.putAll(Monitoring.ruleQueries());
    Set<String> selected = new TreeSet<>();
    queries
        .values()
        .forEach(
            expr -> {
              Matcher m = BUCKET_SELECTOR.matcher(expr);
              while (m.find()) {
                selected.add(m.group(1) + " le=" + m.group(2));
              }
            });
    assertThat(selected)
        .as("the latency SLO's boundary is selected somewhere")
        .contains("http_server_requests_seconds_bucket le=0.536870911");
    for (String selector : selected) {
      String[] parts = selector.split(" le=");
      assertThat(scrape.lines())
          .as("a bucket the monitoring selects: " + selector)
          .anyMatch(l -> l.startsWith(parts[0] + "{") && l.contains("le=\"" + parts[1] + "\""));
    }
  }

  private void exerciseTheService() {
    // The GC pause timers appear with the first collection; when this test runs first in its JVM
    // there may have been none yet.
    System.gc();
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 2);
    for (int i = 0; i < 2; i++) {
      given().get("/api/courses").then().statusCode(200);
      given().get("/api/courses/" + course.slug()).then().statusCode(200);
      given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
    }
    given().queryParam("q", "course").get("/api/courses/search").then().statusCode(200);
    given().get("/api/courses/no-such-course").then().statusCode(404);
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(Map.of("cache", "course-detail"))
        .post("/api/admin/cache/invalidate")
        .then()
        .statusCode(200);
    assertThat(Jobs.runAndWait(admin.token(), "streak-reset").getString("status"))
        .isEqualTo("COMPLETED");
  }
}
