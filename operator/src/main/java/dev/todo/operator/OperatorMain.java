package dev.todo.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar todo-operator.jar}. Connects with KUBECONFIG or the in-cluster service account.
 * Environment: WATCH_NAMESPACES (comma list; all when empty), LEADER_ELECTION_NAMESPACE (enables
 * leader election with a Lease there; set from the pod's namespace in the Helm chart),
 * HTTP_PORT (health and metrics, 8080): /healthz, /readyz, /metrics.
 */
public final class OperatorMain {
  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws IOException {
    Set<String> namespaces = Arrays.stream(System.getenv().getOrDefault("WATCH_NAMESPACES", "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    String leaseNamespace = System.getenv("LEADER_ELECTION_NAMESPACE");
    int port = Integer.parseInt(System.getenv().getOrDefault("HTTP_PORT", "8080"));

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = TodoOperator.create(client, namespaces, o -> {
      o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      if (leaseNamespace != null && !leaseNamespace.isBlank()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("todo-operator", leaseNamespace));
      }
    });

    HttpServer http = HttpServer.create(new InetSocketAddress(port), 0);
    http.createContext("/healthz", ex -> reply(ex, operator.getRuntimeInfo().isStarted() ? 200 : 503, "ok"));
    http.createContext("/readyz", ex -> {
      var info = operator.getRuntimeInfo();
      boolean ready = info.isStarted() && info.allEventSourcesAreHealthy();
      reply(ex, ready ? 200 : 503, ready ? "ready" : "not ready: " + info.unhealthyEventSources().keySet());
    });
    http.createContext("/metrics", ex -> reply(ex, 200, registry.scrape()));
    http.start();

    operator.installShutdownHook(Duration.ofSeconds(10));
    operator.start();
    log.info("todo-operator started; namespaces={}, leader election={}, http port {}",
        namespaces.isEmpty() ? "all" : namespaces, leaseNamespace != null ? "on (" + leaseNamespace + ")" : "off", port);
  }

  private static void reply(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, bytes.length);
    try (var out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
