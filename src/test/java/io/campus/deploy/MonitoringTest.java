package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The alert rules and dashboards are well formed and cover what the service needs watched. */
class MonitoringTest {

  @Test
  void promtoolAcceptsTheRules() {
    Optional<Path> promtool = Repo.tool("promtool");
    assumeTrue(promtool.isPresent(), "promtool is not installed: rule check skipped");
    Repo.Run run =
        Repo.run(
            Repo.ROOT, promtool.get().toString(), "check", "rules", Monitoring.RULES.toString());
    assertThat(run.exit()).as(run.output()).isZero();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasASeverityAndARunbook() {
    List<Map<String, Object>> alerts =
        Monitoring.rules().stream().filter(r -> r.get("alert") != null).toList();
    Set<String> names = new HashSet<>();
    for (Map<String, Object> alert : alerts) {
      String name = (String) alert.get("alert");
      assertThat(names.add(name)).as("alert names are unique: " + name).isTrue();
      assertThat(name).startsWith("Campus");
      assertThat(alert).as(name).containsKeys("expr", "for", "labels", "annotations");
      Map<String, Object> labels = (Map<String, Object>) alert.get("labels");
      assertThat(labels.get("severity")).as(name).isIn("page", "ticket");
      Map<String, Object> annotations = (Map<String, Object>) alert.get("annotations");
      assertThat(annotations).as(name).containsKeys("summary", "description", "runbook");
      assertThat((String) annotations.get("runbook"))
          .as(name + " runbook says what to do")
          .hasSizeGreaterThan(80);
    }
    // error rate, latency SLO burn, pool saturation, readiness flapping, cache hit rate drop,
    // breaker open, job failures
    assertThat(names)
        .contains(
            "CampusHighErrorRate",
            "CampusErrorBudgetFastBurn",
            "CampusLatencySLOFastBurn",
            "CampusLatencySLOSlowBurn",
            "CampusDbPoolSaturated",
            "CampusReadinessFlapping",
            "CampusCacheHitRateDrop",
            "CampusRedisBreakerOpen",
            "CampusJobFailing");
  }

  @Test
  void dashboardsAreCompleteGrafanaDocuments() {
    Map<String, JsonNode> dashboards = Monitoring.dashboards();
    assertThat(dashboards.keySet())
        .containsExactlyInAnyOrder(
            "campus-overview.json", "campus-database.json", "campus-cache.json", "campus-jvm.json");
    Set<String> uids = new HashSet<>();
    dashboards.forEach(
        (file, dashboard) -> {
          assertThat(uids.add(dashboard.path("uid").asText())).as(file).isTrue();
          assertThat(dashboard.path("title").asText()).as(file).startsWith("Campus / ");
          assertThat(dashboard.path("templating").path("list").findValuesAsText("name"))
              .as(file)
              .contains("datasource", "namespace", "pod");
          Set<Integer> ids = new HashSet<>();
          int targets = 0;
          for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as(file + " panel ids").isTrue();
            if (panel.path("type").asText().equals("row")) {
              continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            for (JsonNode target : panel.path("targets")) {
              assertThat(target.path("expr").asText())
                  .as(file + " " + panel.path("title"))
                  .isNotBlank();
              targets++;
            }
          }
          assertThat(targets).as(file).isGreaterThanOrEqualTo(8);
        });
    String cache = dashboards.get("campus-cache.json").toString();
    assertThat(cache)
        .contains("campus_cache_gets_total", "campus_cache_redis_errors_total")
        .contains("campus_cache_redis_breaker_open", "ft_circuitbreaker_state_current");
    assertThat(dashboards.get("campus-database.json").toString())
        .contains("sql_pool_", "campus_db_statements_seconds", "campus_db_slow_statements_total");
  }

  @Test
  void metricNamesAreReadFromPromql() {
    assertThat(
            Monitoring.metricNames(
                "histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket{uri=~\"/api/.*\", le=\"0.5\"}[$__rate_interval]))) > 0.5"))
        .containsExactly("http_server_requests_seconds_bucket");
    assertThat(
            Monitoring.metricNames(
                "sum by (cache) (rate(a_total{result=\"hit\"}[15m] offset 1d)) / on (cache) group_left b_total and time() - c > 1e3"))
        .containsExactly("a_total", "b_total", "c");
  }
}
