package dev.todo.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.delivery.ExternalTool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's alerts, evaluated by Prometheus' own rule engine: {@code promtool check rules} on
 * files/prometheus-rules.yaml and {@code promtool test rules} on src/test/resources/prometheus/alerts_test.yaml,
 * where each alert fires on synthetic series past its threshold and duration (with its labels and
 * rendered annotations) and stays silent below them.
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

  @Test
  void alertsFireOnlyPastTheirThresholds() throws Exception {
    var r = ExternalTool.run(TESTS, List.of("promtool", "test", "rules", "alerts_test.yaml"), 120);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }
}
