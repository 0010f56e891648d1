package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus Operator PodMonitor scraping {@code /prometheus} on every pod of the platform: the
 * API and the workers (reminders, consumers, outbox relay and dead letters are only measured there,
 * and workers have no Service).
 */
public final class Monitoring {
  public static final String API_VERSION = "monitoring.coreos.com/v1";

  private Monitoring() {}

  public static GenericKubernetesResource podMonitor(TodoPlatform p) {
    Map<String, Object> labels = new LinkedHashMap<>(Labels.selector(p, null));
    labels.remove("app.kubernetes.io/component");
    Map<String, Object> selector = new LinkedHashMap<>();
    selector.put("matchLabels", labels);
    selector.put("matchExpressions", List.of(Dapr.ordered("key", "app.kubernetes.io/component", "operator", "In",
        "values", List.of(AppDeployment.API, AppDeployment.WORKER))));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("selector", selector);
    spec.put("podMetricsEndpoints", List.of(Dapr.ordered("port", "http", "path", "/prometheus", "interval", "30s")));
    return Generic.resource(API_VERSION, "PodMonitor", Names.podMonitor(p), p.getMetadata().getNamespace(),
        Labels.of(p, "monitoring"), spec);
  }
}
