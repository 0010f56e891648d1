package dev.todo.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which Service a request reaches through the platform's Ingress, by the Ingress API's matching
 * rules (pathType Prefix matches whole path elements; the longest match wins).
 */
class IngressRoutesTest {
  static final Ingress INGRESS = ApiIngress.desired(Serialization.unmarshal("""
      apiVersion: todo.dev/v1alpha1
      kind: TodoPlatform
      metadata: {name: todo, namespace: dev}
      spec:
        database: {secretRef: {name: db}}
        ingress: {host: todo.example.com, className: nginx}
      """, TodoPlatform.class));

  static boolean prefixMatches(String prefix, String path) {
    if (prefix.equals("/")) return true;
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  static String backend(String requestPath) {
    List<HTTPIngressPath> paths = INGRESS.getSpec().getRules().get(0).getHttp().getPaths();
    return paths.stream()
        .filter(p -> "Prefix".equals(p.getPathType()) && prefixMatches(p.getPath(), requestPath))
        .max(Comparator.comparingInt(p -> p.getPath().length()))
        .map(p -> p.getBackend().getService().getName()).orElse("none");
  }

  @Test
  void usersReachTheUiApiStreamAndMcp() {
    for (String path : List.of("/", "/tasks", "/settings", "/webjars/htmx.org/2.0.10/dist/htmx.min.js",
        "/api/tasks", "/api/stream", "/mcp", "/daprfoo", "/prometheusx")) {
      assertThat(backend(path)).as(path).isEqualTo("todo-api");
    }
  }

  @Test
  void daprCallbacksAndMetricsStayInsideTheCluster() {
    for (String path : List.of("/dapr", "/dapr/subscribe", "/dapr/config", "/prometheus")) {
      assertThat(backend(path)).as(path).isEqualTo("todo-internal-only");
    }
    assertThat(ApiIngress.internalOnly(Serialization.unmarshal(
        "apiVersion: todo.dev/v1alpha1\nkind: TodoPlatform\nmetadata: {name: todo, namespace: dev}\n", TodoPlatform.class))
        .getSpec().getSelector()).as("no selector, so no endpoints").isNullOrEmpty();
  }

  @Test
  void theLiveStreamIsNeitherBufferedNorCutByIngressNginx() {
    assertThat(INGRESS.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600")
        .doesNotContainKey("nginx.ingress.kubernetes.io/affinity");
  }
}
