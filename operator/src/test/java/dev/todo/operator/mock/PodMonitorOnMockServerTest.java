package dev.todo.operator.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the Prometheus Operator's API installed (mock API server, CRUD mode), a platform gets one
 * PodMonitor that scrapes the API and the worker pods, owned by the platform (its garbage collection
 * is not tested: the mock server runs no garbage collector).
 */
class PodMonitorOnMockServerTest {

  @Test
  @SuppressWarnings("unchecked")
  void podMonitorCoversApiAndWorkers() {
    try (MockCluster cluster = new MockCluster().install("monitoring.coreos.com", "v1", "PodMonitor", "podmonitors")
        .startOperator()) {
      cluster.client().resource(Serialization.unmarshal("""
          apiVersion: todo.dev/v1alpha1
          kind: TodoPlatform
          metadata: {name: todo, namespace: dev}
          spec: {database: {secretRef: {name: todo-db}}}
          """, TodoPlatform.class)).create();
      Await.until(Duration.ofSeconds(20), () -> {
        GenericKubernetesResource pm = cluster.client().genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
            .inNamespace("dev").withName("todo").get();
        assertThat(pm).isNotNull();
        assertThat(pm.getMetadata().getOwnerReferences()).anySatisfy(o -> assertThat(o.getKind()).isEqualTo("TodoPlatform"));
        Map<String, Object> spec = (Map<String, Object>) pm.getAdditionalProperties().get("spec");
        Map<String, Object> selector = (Map<String, Object>) spec.get("selector");
        assertThat((Map<String, Object>) selector.get("matchLabels")).containsEntry("app.kubernetes.io/instance", "todo")
            .doesNotContainKey("app.kubernetes.io/component");
        assertThat(selector.get("matchExpressions").toString()).contains("api", "worker");
        assertThat((List<Map<String, Object>>) spec.get("podMetricsEndpoints"))
            .singleElement().satisfies(e -> assertThat(e).containsEntry("path", "/prometheus").containsEntry("port", "http"));
      });
    }
  }
}
