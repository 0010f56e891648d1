package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dapr pub/sub over the Kafka cluster (one component for consumer-group topics, one for broadcast
 * topics), a resiliency policy for them, and the sidecar configuration.
 */
public final class Dapr {
  public static final String API_VERSION = "dapr.io/v1alpha1";

  private Dapr() {}

  private static List<String> scopes(TodoPlatform p) { return List.of(Names.api(p), Names.worker(p)); }

  /** Consumer-group topics: one consumer group for the platform, each event reaches one pod. */
  public static GenericKubernetesResource pubsub(TodoPlatform p) {
    return kafkaComponent(p, Names.pubsub(p), Names.consumerGroup(p), "oldest", scopes(p));
  }

  /**
   * Broadcast topics (live sync): Dapr resolves {podName} per sidecar, so every API pod has its
   * own consumer group and sees every event. A new pod starts at the newest offset instead of
   * replaying history. Only the API pods read them.
   */
  public static GenericKubernetesResource broadcastPubsub(TodoPlatform p) {
    return kafkaComponent(p, Names.broadcastPubsub(p), "{podName}", "newest", List.of(Names.api(p)));
  }

  private static GenericKubernetesResource kafkaComponent(TodoPlatform p, String name, String consumerGroup,
                                                          String initialOffset, List<String> scopes) {
    Defaults d = Defaults.of(p);
    String brokers = d.bootstrapServers(p.getMetadata().getNamespace()).orElse("");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("type", "pubsub.kafka");
    spec.put("version", "v1");
    List<Map<String, Object>> metadata = new java.util.ArrayList<>(List.of(
        item("brokers", brokers),
        item("consumerGroup", consumerGroup),
        item("clientID", Names.consumerGroup(p))));
    metadata.addAll(KafkaAuth.daprMetadata(p));
    metadata.add(item("initialOffset", initialOffset));
    spec.put("metadata", metadata);
    GenericKubernetesResource r = Generic.resource(API_VERSION, "Component", name,
        p.getMetadata().getNamespace(), Labels.of(p, "events"), spec);
    r.setAdditionalProperty("scopes", scopes);
    return r;
  }

  /**
   * Publishing (outbound) is bounded and guarded by a circuit breaker: the outbox relay retries
   * anyway. Delivery to the app (inbound) is retried without limit: the app answers RETRY only
   * while its database is unavailable, and an event Dapr gave up on would go to the -dlq topic,
   * where the app has no record of it to replay.
   * <p>
   * The inbound policy is constant, not exponential: Dapr's exponential back-off also stops once
   * 15 minutes have elapsed (a limit the Resiliency resource cannot change), whatever maxRetries
   * says; a constant back-off with maxRetries -1 never stops.
   */
  public static GenericKubernetesResource resiliency(TodoPlatform p) {
    Map<String, Object> policies = new LinkedHashMap<>();
    policies.put("timeouts", ordered("pubsubTimeout", "10s"));
    policies.put("retries", ordered(
        "pubsubOutboundRetry", ordered("policy", "exponential", "maxInterval", "30s", "maxRetries", 10),
        "pubsubInboundRetry", ordered("policy", "constant", "duration", "10s", "maxRetries", -1)));
    policies.put("circuitBreakers", ordered("pubsubBreaker",
        ordered("maxRequests", 1, "interval", "60s", "timeout", "30s", "trip", "consecutiveFailures >= 5")));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("policies", policies);
    spec.put("targets", ordered("components", ordered(
        Names.pubsub(p), ordered(
            "outbound", ordered("retry", "pubsubOutboundRetry", "timeout", "pubsubTimeout", "circuitBreaker", "pubsubBreaker"),
            "inbound", inbound()),
        Names.broadcastPubsub(p), ordered("inbound", inbound()))));
    GenericKubernetesResource r = Generic.resource(API_VERSION, "Resiliency", Names.resiliency(p),
        p.getMetadata().getNamespace(), Labels.of(p, "events"), spec);
    r.setAdditionalProperty("scopes", scopes(p));
    return r;
  }

  private static Map<String, Object> inbound() {
    return ordered("retry", "pubsubInboundRetry", "timeout", "pubsubTimeout");
  }

  /** Referenced by the dapr.io/config pod annotation: metrics on, tracing off by default. */
  public static GenericKubernetesResource configuration(TodoPlatform p) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("metric", Map.of("enabled", true));
    spec.put("tracing", Map.of("samplingRate", "0"));
    return Generic.resource(API_VERSION, "Configuration", Names.daprConfig(p),
        p.getMetadata().getNamespace(), Labels.of(p, "events"), spec);
  }

  private static Map<String, Object> item(String name, String value) { return ordered("name", name, "value", value); }

  static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
