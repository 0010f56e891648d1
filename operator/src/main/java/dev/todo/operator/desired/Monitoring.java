package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Prometheus Operator ServiceMonitor scraping the API's /prometheus endpoint. */
public final class Monitoring {
  public static final String API_VERSION = "monitoring.coreos.com/v1";

  private Monitoring() {}

  public static GenericKubernetesResource serviceMonitor(TodoPlatform p) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("selector", Map.of("matchLabels", Labels.selector(p, AppDeployment.API)));
    spec.put("endpoints", List.of(Dapr.ordered("port", "http", "path", "/prometheus", "interval", "30s")));
    return Generic.resource(API_VERSION, "ServiceMonitor", Names.api(p), p.getMetadata().getNamespace(),
        Labels.of(p, AppDeployment.API), spec);
  }
}
