package io.campus.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The dashboards and alert rules, and the metric names their PromQL queries. */
final class Monitoring {

  static final Path RULES = Repo.MONITORING.resolve("prometheus/campus-alerts.yaml");
  static final Path RULE_TESTS = Repo.MONITORING.resolve("prometheus/campus-alerts.test.yaml");
  static final Path RUNBOOKS = Repo.MONITORING.resolve("runbooks.md");
  static final Path DASHBOARDS = Repo.MONITORING.resolve("grafana");

  /** Prometheus fills this from its external label (the repository's web address). */
  static final String RUNBOOK_BASE = "{{ $externalLabels.runbook_base_url }}";

  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "inf",
          "nan",
          "le");

  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

  private Monitoring() {}

  /** The rule groups of the PrometheusRule object. */
  @SuppressWarnings("unchecked")
  static List<Object> groups() {
    Map<String, Object> rule = Kustomize.readOne(RULES);
    if (!"PrometheusRule".equals(rule.get("kind"))) {
      throw new AssertionError(RULES + " must be a PrometheusRule");
    }
    return (List<Object>) ((Map<String, Object>) rule.get("spec")).get("groups");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules() {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : groups()) {
      for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
        rules.add((Map<String, Object>) rule);
      }
    }
    return rules;
  }

  static Map<String, JsonNode> dashboards() {
    Map<String, JsonNode> dashboards = new LinkedHashMap<>();
    for (Path file : Repo.files(DASHBOARDS, ".json")) {
      try {
        dashboards.put(file.getFileName().toString(), new ObjectMapper().readTree(file.toFile()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dashboards;
  }

  /** Every PromQL expression of the dashboards (panel targets and variable queries). */
  static Map<String, String> dashboardQueries() {
    Map<String, String> queries = new LinkedHashMap<>();
    dashboards()
        .forEach(
            (file, dashboard) -> {
              for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                  queries.put(
                      file
                          + " / "
                          + panel.path("title").asText()
                          + " / "
                          + target.path("refId").asText(),
                      target.path("expr").asText());
                }
              }
              for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                  String query = variable.path("query").path("query").asText();
                  Matcher labelValues =
                      Pattern.compile("label_values\\((.*),\\s*[a-zA-Z_]\\w*\\)").matcher(query);
                  queries.put(
                      file + " / $" + variable.path("name").asText(),
                      labelValues.matches() ? labelValues.group(1) : query);
                }
              }
            });
    return queries;
  }

  /** Every alerting and recording expression, keyed by rule name. */
  static Map<String, String> ruleQueries() {
    Map<String, String> queries = new LinkedHashMap<>();
    for (Map<String, Object> rule : rules()) {
      String name = String.valueOf(rule.getOrDefault("alert", rule.get("record")));
      queries.put(name, String.valueOf(rule.get("expr")));
    }
    return queries;
  }

  /** Series names recorded by the rules themselves. */
  static Set<String> recordedNames() {
    Set<String> names = new TreeSet<>();
    rules()
        .forEach(
            r -> {
              if (r.get("record") != null) {
                names.add((String) r.get("record"));
              }
            });
    return names;
  }

  /**
   * The metric names a PromQL expression selects: identifiers outside strings, label matchers,
   * ranges and grouping clauses that are neither functions, aggregations nor keywords.
   */
  static Set<String> metricNames(String promql) {
    String text = promql.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
    text = text.replaceAll("'(\\\\.|[^'\\\\])*'", "''");
    text = text.replaceAll("\\$\\{?\\w+}?", " ");
    text = text.replaceAll("\\{[^}]*}", " ");
    text = text.replaceAll("\\[[^\\]]*]", " ");
    text =
        text.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(text);
    while (m.find()) {
      String name = m.group(1);
      boolean call = m.group(2) != null;
      if (!call && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }
}
