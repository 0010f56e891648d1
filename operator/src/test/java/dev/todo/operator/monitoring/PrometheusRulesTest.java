package dev.todo.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.delivery.ExternalTool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alerts, evaluated by Prometheus' own rule engine: {@code promtool check rules} on
 * files/prometheus-rules.yaml and {@code promtool test rules} on src/test/resources/prometheus/alerts_test.yaml,
 * where each alert fires on synthetic series past its threshold and duration (with its labels and
 * rendered annotations) and stays silent below them. The dashboard's queries are parsed the same way.
 */
class PrometheusRulesTest {
  static final Path RULES = ExternalTool.ROOT.resolve("helm/todo-operator/files/prometheus-rules.yaml");
  static final Path TESTS = Path.of("src/test/resources/prometheus").toAbsolutePath();

  @BeforeAll
  static void promtool() {
    ExternalTool.require("promtool", "apt-get install prometheus");
  }

  @Test
  void rulesAreValid() throws Exception {
    var r = ExternalTool.run(ExternalTool.ROOT, List.of("promtool", "check", "rules", RULES.toString()), 60);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: 8 rules found");
  }

  /** Each dashboard query, as a recording rule, so promtool parses its PromQL. */
  @Test
  void dashboardQueriesParse(@TempDir Path dir) throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(AlertAndDashboardMetrics.FILES.resolve("grafana-dashboard.json").toFile());
    List<String> exprs = dashboard.findValues("expr").stream().map(JsonNode::asText).toList();
    assertThat(exprs).hasSizeGreaterThan(15);
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < exprs.size(); i++) {
      rules.append("      - record: dashboard:query_").append(i).append("\n        expr: ")
          .append(new ObjectMapper().writeValueAsString(exprs.get(i))).append("\n");
    }
    Path file = dir.resolve("dashboard-rules.yaml");
    Files.writeString(file, rules);
    var r = ExternalTool.run(dir, List.of("promtool", "check", "rules", file.toString()), 60);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: " + exprs.size() + " rules found");
  }

  @Test
  void alertsFireOnlyPastTheirThresholds() throws Exception {
    var r = ExternalTool.run(TESTS, List.of("promtool", "test", "rules", "alerts_test.yaml"), 120);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }
}
