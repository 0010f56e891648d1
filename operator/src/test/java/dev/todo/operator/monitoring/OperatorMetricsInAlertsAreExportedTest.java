package dev.todo.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.OperatorMain;
import dev.todo.operator.mock.Await;
import dev.todo.operator.mock.MockCluster;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every operator metric the alerts and the dashboard query is one the operator exports: the jar's
 * main starts against the Fabric8 mock API server, reconciles a platform, and its /metrics is read.
 */
class OperatorMetricsInAlertsAreExportedTest {

  @Test
  void readsThePromQlItChecks() {
    assertThat(AlertAndDashboardMetrics.inExpression(
        "histogram_quantile(0.95, sum by (namespace, le) (rate(http_server_requests_seconds_bucket{uri!~\"/a|b\"}[5m]))) > 0.5"
            + " and on (job) max(todo_platform_ready) == 0"))
        .containsExactlyInAnyOrder("http_server_requests_seconds_bucket", "todo_platform_ready");
  }

  @Test
  void operatorSeriesInRulesAndDashboardAreExported() throws Exception {
    Set<String> wanted = AlertAndDashboardMetrics.queried().stream()
        .filter(n -> AlertAndDashboardMetrics.OPERATOR_OWNED.matcher(n).matches()).collect(Collectors.toSet());
    assertThat(wanted).as("the operator's alerts").contains("todo_platform_ready", "todo_operator_reconcile_failures_total");

    try (MockCluster cluster = new MockCluster();
        OperatorMain.Running running = OperatorMain.start(cluster.client(), Map.of("HTTP_PORT", "0", "WATCH_NAMESPACES", "dev"))) {
      cluster.client().resource(Serialization.unmarshal("""
          apiVersion: todo.dev/v1alpha1
          kind: TodoPlatform
          metadata: {name: todo, namespace: dev}
          spec: {database: {secretRef: {name: todo-db}}}
          """, TodoPlatform.class)).create();
      HttpClient http = HttpClient.newHttpClient();
      Await.until(Duration.ofSeconds(20), () -> {
        String scrape;
        try {
          scrape = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + running.port() + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        assertThat(AlertAndDashboardMetrics.exported(scrape)).containsAll(wanted);
        assertThat(scrape).contains("todo_platform_ready{platform=\"todo\",platform_namespace=\"dev\"} 0.0");
      });
    }
  }
}
