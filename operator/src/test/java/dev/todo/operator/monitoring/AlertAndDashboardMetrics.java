package dev.todo.operator.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names the chart's alerts (files/prometheus-rules.yaml) and dashboard
 * (files/grafana-dashboard.json) query, and the names a Prometheus scrape exposes. The app module
 * has the same reader for its half (the modules share no test code).
 */
final class AlertAndDashboardMetrics {
  static final Path FILES = Path.of(System.getProperty("repo.root", ".."), "helm/todo-operator/files");
  /** Series the operator exports; every other name belongs to the app. */
  static final Pattern OPERATOR_OWNED = Pattern.compile("(todo_platform_|todo_operator_|operator_sdk_).*");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

  private AlertAndDashboardMetrics() {}

  static Set<String> queried() throws IOException {
    Set<String> names = new TreeSet<>();
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(FILES.resolve("prometheus-rules.yaml").toFile());
    rules.findValues("expr").forEach(e -> names.addAll(inExpression(e.asText())));
    JsonNode dashboard = new ObjectMapper().readTree(FILES.resolve("grafana-dashboard.json").toFile());
    dashboard.findValues("expr").forEach(e -> names.addAll(inExpression(e.asText())));
    return names;
  }

  /** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
  static Set<String> inExpression(String expr) {
    String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(s);
    while (m.find()) {
      if (!KEYWORDS.contains(m.group().toLowerCase())) names.add(m.group());
    }
    return names;
  }

  /** Series names in a Prometheus text exposition. */
  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      names.add(line.split("[{ ]", 2)[0]);
    }
    return names;
  }
}
