package dev.todo.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.todo.operator.desired.AppImage;
import dev.todo.operator.status.PlatformMeters;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar todo-operator.jar}. Connects with KUBECONFIG or the in-cluster service account.
 * Environment: WATCH_NAMESPACES (comma list; all when empty), LEADER_ELECTION_NAMESPACE (enables
 * leader election with a Lease there; set from the pod's namespace in the Helm chart),
 * HTTP_PORT (health and metrics, 8080): /healthz, /readyz, /metrics; RELATED_IMAGE_APP (the app image
 * platforms run when their spec names none; the image of this release when unset).
 */
public final class OperatorMain {
  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws IOException {
    Running running = start(new KubernetesClientBuilder().build(), System.getenv());
    running.operator().installShutdownHook(Duration.ofSeconds(10));
  }

  /** The operator and its health/metrics server, as started from the given environment. */
  public record Running(Operator operator, HttpServer http, PrometheusMeterRegistry registry) implements AutoCloseable {
    public int port() { return http.getAddress().getPort(); }

    @Override
    public void close() {
      http.stop(0);
      operator.stop();
      Metrics.removeRegistry(registry);
    }
  }

  public static Running start(KubernetesClient client, Map<String, String> env) throws IOException {
    Set<String> namespaces = Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    String leaseNamespace = env.get("LEADER_ELECTION_NAMESPACE");
    int port = Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080"));
    AppImage.useDefault(AppImage.fromEnvironment(env));

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    // meters registered outside JOSDK (PlatformMeters) go to the global registry
    Metrics.addRegistry(registry);
    PlatformMeters.register();
    Operator operator = TodoOperator.create(client, namespaces, o -> {
      o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      if (leaseNamespace != null && !leaseNamespace.isBlank()) {
        // Losing the lease ends the process (the pod restarts as a follower) unless told otherwise.
        boolean exitOnLoss = !"false".equals(env.get("LEADER_ELECTION_EXIT_ON_LOSS"));
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("todo-operator", leaseNamespace,
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, null, exitOnLoss));
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

    operator.start();
    log.info("todo-operator started; namespaces={}, leader election={}, http port {}, default app image {}",
        namespaces.isEmpty() ? "all" : namespaces, leaseNamespace != null ? "on (" + leaseNamespace + ")" : "off",
        http.getAddress().getPort(), AppImage.defaultImage().reference());
    return new Running(operator, http, registry);
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
