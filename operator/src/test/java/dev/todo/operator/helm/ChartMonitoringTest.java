package dev.todo.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's optional monitoring objects: the operator's PodMonitor, the alerts, the Grafana dashboard. */
class ChartMonitoringTest {
  static final Path CHART = Path.of(System.getProperty("repo.root", ".."), "helm/todo-operator");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<HasMetadata> render(boolean enabled) {
    return Serialization.unmarshal(new Helm(CHART).template().withName("todo-operator").withNamespace("operators")
        .set("monitoring.podMonitor.enabled", enabled).set("monitoring.prometheusRule.enabled", enabled)
        .set("monitoring.dashboard.enabled", enabled).set("monitoring.prometheusRule.labels.release", "kube-prometheus-stack")
        .call());
  }

  static HasMetadata kind(List<HasMetadata> objects, String kind) {
    return objects.stream().filter(o -> o.getKind().equals(kind)).findFirst().orElseThrow(() -> new AssertionError("no " + kind));
  }

  @Test
  void offByDefault() {
    assertThat(render(false)).extracting(HasMetadata::getKind).doesNotContain("PodMonitor", "PrometheusRule")
        .filteredOn("ConfigMap"::equals).isEmpty();
    var lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  @SuppressWarnings("unchecked")
  void rendersTheOperatorsPodMonitorTheRulesAndTheDashboard() throws Exception {
    List<HasMetadata> objects = render(true);

    var podMonitor = (GenericKubernetesResource) kind(objects, "PodMonitor");
    Map<String, Object> endpoint = ((List<Map<String, Object>>) ((Map<String, Object>) podMonitor.getAdditionalProperties()
        .get("spec")).get("podMetricsEndpoints")).get(0);
    assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics");

    var rule = (GenericKubernetesResource) kind(objects, "PrometheusRule");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    JsonNode rendered = YAML.valueToTree(rule.getAdditionalProperties().get("spec"));
    assertThat(rendered).isEqualTo(YAML.readTree(CHART.resolve("files/prometheus-rules.yaml").toFile()));
    assertThat(rendered.findValuesAsText("alert")).contains("TodoApiErrorRateHigh", "TodoApiLatencyHigh",
        "TodoConsumerLagHigh", "TodoOutboxStalled", "TodoRemindersLate", "TodoDeadLettersGrowing",
        "TodoPlatformNotReady", "TodoOperatorReconcileErrors");

    HasMetadata dashboard = kind(objects, "ConfigMap");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    String json = ((io.fabric8.kubernetes.api.model.ConfigMap) dashboard).getData().get("todo-platform.json");
    assertThat(new ObjectMapper().readTree(json).get("title").asText()).isEqualTo("Todo platform");
  }
}
