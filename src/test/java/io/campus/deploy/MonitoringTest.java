package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules and dashboards are well formed and cover what the service needs watched. */
class MonitoringTest {

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass(@TempDir Path dir) throws IOException {
    Path promtool = Tools.require("promtool", "promtool check/test rules");
    // The rules ship as a PrometheusRule; promtool reads the plain rule file inside it.
    Path rules = dir.resolve("campus-alerts.rules.yaml");
    Kustomize.YAML.writeValue(rules.toFile(), Map.of("groups", Monitoring.groups()));
    Files.copy(Monitoring.RULE_TESTS, dir.resolve(Monitoring.RULE_TESTS.getFileName()));
    Repo.Run check = Repo.run(dir, promtool.toString(), "check", "rules", rules.toString());
    assertThat(check.exit()).as(check.output()).isZero();
    Repo.Run test =
        Repo.run(
            dir,
            promtool.toString(),
            "test",
            "rules",
            dir.resolve(Monitoring.RULE_TESTS.getFileName()).toString());
    assertThat(test.exit()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasAUnitTestThatFiresItAndOneThatDoesNot() {
    Map<String, Object> file = Kustomize.readOne(Monitoring.RULE_TESTS);
    assertThat((List<Object>) file.get("rule_files")).containsExactly("campus-alerts.rules.yaml");
    Set<String> fires = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    for (Object test : (List<Object>) file.get("tests")) {
      for (Object item :
          (List<Object>) ((Map<String, Object>) test).getOrDefault("alert_rule_test", List.of())) {
        Map<String, Object> ruleTest = (Map<String, Object>) item;
        List<Object> expected = (List<Object>) ruleTest.get("exp_alerts");
        (expected == null || expected.isEmpty() ? quiet : fires)
            .add((String) ruleTest.get("alertname"));
      }
    }
    Set<String> alerts = new TreeSet<>();
    Monitoring.rules().stream()
        .filter(r -> r.get("alert") != null)
        .forEach(r -> alerts.add((String) r.get("alert")));
    assertThat(fires).as("alerts with a firing case").containsAll(alerts);
    assertThat(quiet).as("alerts with a quiet case").containsAll(alerts);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasASeverityAndARunbook() {
    List<Map<String, Object>> alerts =
        Monitoring.rules().stream().filter(r -> r.get("alert") != null).toList();
    String runbooks = Repo.read(Monitoring.RUNBOOKS);
    Set<String> names = new HashSet<>();
    for (Map<String, Object> alert : alerts) {
      String name = (String) alert.get("alert");
      assertThat(names.add(name)).as("alert names are unique: " + name).isTrue();
      assertThat(name).startsWith("Campus");
      assertThat(alert).as(name).containsKeys("expr", "for", "labels", "annotations");
      Map<String, Object> labels = (Map<String, Object>) alert.get("labels");
      assertThat(labels.get("severity")).as(name).isIn("critical", "warning");
      Map<String, Object> annotations = (Map<String, Object>) alert.get("annotations");
      assertThat(annotations).as(name).containsKeys("summary", "description", "runbook_url");
      String anchor = name.toLowerCase();
      assertThat((String) annotations.get("runbook_url"))
          .as(name)
          .isEqualTo(Monitoring.RUNBOOK_BASE + "/monitoring/runbooks.md#" + anchor);
      int heading = runbooks.indexOf("\n## " + name + "\n");
      assertThat(heading).as("runbooks.md has a section " + name).isPositive();
      int next = runbooks.indexOf("\n## ", heading + 1);
      assertThat(runbooks.substring(heading, next < 0 ? runbooks.length() : next))
          .as(name + " runbook says what to do")
          .hasSizeGreaterThan(120);
    }
    assertThat(names)
        .contains(
            "CampusHighErrorRate",
            "CampusErrorBudgetFastBurn",
            "CampusErrorBudgetSlowBurn",
            "CampusLatencySLOFastBurn",
            "CampusLatencySLOSlowBurn",
            "CampusDbPoolSaturated",
            "CampusReadinessFlapping",
            "CampusCacheHitRateDrop",
            "CampusRedisBreakerOpen",
            "CampusJobFailing",
            "CampusAbsent");
    assertThat(Monitoring.ruleQueries().get("CampusAbsent"))
        .isEqualTo("absent(up{job=\"campus\"})");
  }

  @Test
  void jobMetricsAreLabelledJobNameNotJobWhichPrometheusOwns() {
    Map<String, String> queries = new TreeMap<>(Monitoring.dashboardQueries());
    queries.putAll(Monitoring.ruleQueries());
    queries.forEach(
        (where, expr) -> {
          if (expr.contains("campus_job_")) {
            assertThat(expr)
                .as(where)
                .doesNotContainPattern("\\bjob\\b\\s*[=!~]")
                .doesNotContainPattern("\\((\\s*\\w+\\s*,)*\\s*job\\s*[,)]")
                .containsPattern("job_name");
          }
        });
    String dashboards = Monitoring.dashboards().toString();
    assertThat(dashboards).doesNotContain("{{job}}").doesNotContain("exported_job");
  }

  @Test
  void alertsDoNotDependOnJvmOnlyMetrics() {
    // The native executable exports no JVM heap or GC series: an alert on them would never fire.
    Monitoring.ruleQueries()
        .forEach(
            (name, expr) ->
                assertThat(Monitoring.metricNames(expr))
                    .as(name)
                    .noneMatch(m -> m.startsWith("jvm_") || m.startsWith("process_gc")));
    Monitoring.dashboardQueries()
        .forEach(
            (where, expr) -> {
              if (!where.startsWith("campus-jvm.json")) {
                assertThat(Monitoring.metricNames(expr))
                    .as(where)
                    .noneMatch(m -> m.startsWith("jvm_"));
              }
            });
  }

  @Test
  @SuppressWarnings("unchecked")
  void overlaysShipTheRulesAsAPrometheusRuleAndTheDashboardsAsGrafanaConfigMaps() {
    for (String overlay : Repo.K8S_OVERLAYS) {
      List<Map<String, Object>> objects = Repo.render(overlay);
      Map<String, Object> rule = Repo.object(objects, "PrometheusRule", "campus");
      assertThat(((Map<String, Object>) rule.get("spec")).get("groups"))
          .isEqualTo(Monitoring.groups());
      for (String dashboard : Monitoring.dashboards().keySet()) {
        String name = dashboard.replace(".json", "") + "-dashboard";
        Map<String, Object> configMap = Repo.object(objects, "ConfigMap", name);
        assertThat(
                (Map<String, Object>)
                    ((Map<String, Object>) configMap.get("metadata")).get("labels"))
            .containsEntry("grafana_dashboard", "1");
        assertThat((Map<String, Object>) configMap.get("data")).containsKey(dashboard);
      }
    }
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
