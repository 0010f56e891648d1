package dev.todo.operator.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.OperatorMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the runnable jar starts, against the mock API server: health, readiness, metrics, leader election. */
class OperatorMainOnMockServerTest {
  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthReadinessAndMetricsAndTakesTheLease() throws Exception {
    try (MockCluster cluster = new MockCluster();
        OperatorMain.Running running = OperatorMain.start(cluster.client(),
            Map.of("HTTP_PORT", "0", "WATCH_NAMESPACES", "dev", "LEADER_ELECTION_NAMESPACE", "operators",
                "LEADER_ELECTION_EXIT_ON_LOSS", "false"))) {
      Await.until(Duration.ofSeconds(20), () -> {
        try {
          assertThat(get(running.port(), "/healthz").statusCode()).isEqualTo(200);
          assertThat(get(running.port(), "/readyz").statusCode()).isEqualTo(200);
          assertThat(get(running.port(), "/metrics").body()).contains("jvm_memory_used_bytes");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        assertThat(cluster.client().leases().inNamespace("operators").withName("todo-operator").get())
            .as("leader election Lease").isNotNull();
      });
    }
  }
}
