package dev.todo.operator.desired;

import dev.todo.operator.model.KafkaAuthSpec;
import dev.todo.operator.model.KafkaAuthentication;
import dev.todo.operator.model.KafkaSpec;
import dev.todo.operator.model.TodoPlatform;
import dev.todo.operator.model.Transport;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticated Kafka for the three clients of the brokers: the app (transport kafka), the Dapr
 * pub/sub components (transport dapr) and the KEDA trigger. All read the same Secret with the same
 * keys: with a Strimzi clusterRef the operator creates a KafkaUser (ACLs limited to the platform's
 * topics and consumer groups) and copies Strimzi's credentials and the cluster CA into
 * {@code <name>-kafka-credentials}; with bootstrapServers (a managed service) the spec names it.
 */
public final class KafkaAuth {
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String CERT = "user.crt";
  public static final String KEY = "user.key";
  /** The key the copied Secret holds Strimzi's cluster CA under. */
  public static final String CA = "ca.crt";
  public static final String STRIMZI_API_VERSION = "kafka.strimzi.io/v1";
  public static final int DEFAULT_LISTENER_PORT = 9093;

  private KafkaAuth() {}

  public static Optional<KafkaAuthSpec> of(TodoPlatform p) {
    return Defaults.of(p).kafka().map(KafkaSpec::getAuthentication);
  }

  public static boolean strimziUser(TodoPlatform p) {
    return of(p).isPresent() && Defaults.of(p).managesTopics();
  }

  public static boolean sasl(KafkaAuthSpec a) { return a.getType() != KafkaAuthentication.TLS; }

  public static String secretName(TodoPlatform p) {
    KafkaAuthSpec a = of(p).orElseThrow();
    return strimziUser(p) ? Names.kafkaCredentials(p) : a.getSecretRef().getName();
  }

  /** The CA key, if the brokers' CA is in the Secret (always with Strimzi). */
  public static Optional<String> caKey(TodoPlatform p) {
    return strimziUser(p) ? Optional.of(CA) : of(p).map(KafkaAuthSpec::getCaKey);
  }

  public static String securityProtocol(KafkaAuthSpec a) { return sasl(a) ? "SASL_SSL" : "SSL"; }

  public static String saslMechanism(KafkaAuthSpec a) {
    return a.getType() == KafkaAuthentication.PLAIN ? "PLAIN" : "SCRAM-SHA-512";
  }

  /** ConfigMap entries for the app (transport kafka): protocol and mechanism, no secrets. */
  static void appConfig(TodoPlatform p, Map<String, String> data) {
    if (Defaults.of(p).transport() != Transport.KAFKA) return;
    of(p).ifPresent(a -> {
      data.put("TODO_KAFKA_SECURITY_PROTOCOL", securityProtocol(a));
      if (sasl(a)) data.put("TODO_KAFKA_SASL_MECHANISM", saslMechanism(a));
    });
  }

  /** The app's credentials (transport kafka), straight from the Secret. */
  static List<EnvVar> appEnv(TodoPlatform p) {
    List<EnvVar> env = new ArrayList<>();
    if (Defaults.of(p).transport() != Transport.KAFKA || of(p).isEmpty()) return env;
    KafkaAuthSpec a = of(p).get();
    String secret = secretName(p);
    if (sasl(a)) {
      env.add(secretEnv("TODO_KAFKA_SASL_USERNAME", secret, USERNAME));
      env.add(secretEnv("TODO_KAFKA_SASL_PASSWORD", secret, PASSWORD));
    } else {
      env.add(secretEnv("TODO_KAFKA_KEYSTORE_CERTIFICATE_CHAIN", secret, CERT));
      env.add(secretEnv("TODO_KAFKA_KEYSTORE_KEY", secret, KEY));
    }
    caKey(p).ifPresent(k -> env.add(secretEnv("TODO_KAFKA_TRUSTSTORE_CERTIFICATES", secret, k)));
    return env;
  }

  /** Metadata items of a Dapr pubsub.kafka component; secrets by secretKeyRef. */
  static List<Map<String, Object>> daprMetadata(TodoPlatform p) {
    List<Map<String, Object>> items = new ArrayList<>();
    Optional<KafkaAuthSpec> auth = of(p);
    if (auth.isEmpty()) {
      items.add(Dapr.ordered("name", "authType", "value", "none"));
      return items;
    }
    KafkaAuthSpec a = auth.get();
    String secret = secretName(p);
    if (sasl(a)) {
      items.add(Dapr.ordered("name", "authType", "value", "password"));
      items.add(secretItem("saslUsername", secret, USERNAME));
      items.add(secretItem("saslPassword", secret, PASSWORD));
      items.add(Dapr.ordered("name", "saslMechanism", "value", a.getType() == KafkaAuthentication.PLAIN ? "PLAINTEXT" : "SHA-512"));
    } else {
      items.add(Dapr.ordered("name", "authType", "value", "mtls"));
      items.add(secretItem("clientCert", secret, CERT));
      items.add(secretItem("clientKey", secret, KEY));
    }
    caKey(p).ifPresent(k -> items.add(secretItem("caCert", secret, k)));
    return items;
  }

  /** Trigger metadata for KEDA's Kafka scaler: the mode; the secrets come from the TriggerAuthentication. */
  static void kedaTriggerMetadata(TodoPlatform p, Map<String, Object> meta) {
    of(p).ifPresent(a -> {
      meta.put("sasl", a.getType() == KafkaAuthentication.PLAIN ? "plaintext" : sasl(a) ? "scram_sha512" : "none");
      meta.put("tls", "enable");
    });
  }

  public static GenericKubernetesResource kedaTriggerAuthentication(TodoPlatform p) {
    KafkaAuthSpec a = of(p).orElseThrow();
    String secret = secretName(p);
    List<Map<String, Object>> refs = new ArrayList<>();
    if (sasl(a)) {
      refs.add(Dapr.ordered("parameter", "username", "name", secret, "key", USERNAME));
      refs.add(Dapr.ordered("parameter", "password", "name", secret, "key", PASSWORD));
    } else {
      refs.add(Dapr.ordered("parameter", "cert", "name", secret, "key", CERT));
      refs.add(Dapr.ordered("parameter", "key", "name", secret, "key", KEY));
    }
    caKey(p).ifPresent(k -> refs.add(Dapr.ordered("parameter", "ca", "name", secret, "key", k)));
    return Generic.resource(Autoscaling.KEDA_API_VERSION, "TriggerAuthentication", Names.kafkaTriggerAuth(p),
        p.getMetadata().getNamespace(), Labels.of(p, AppDeployment.WORKER), Dapr.ordered("secretTargetRef", refs));
  }

  /**
   * The platform's Strimzi KafkaUser, in the Kafka cluster's namespace: it may read and write its
   * own topics (by prefix) and use its own consumer groups, nothing else.
   */
  public static GenericKubernetesResource kafkaUser(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    KafkaAuthSpec a = of(p).orElseThrow();
    String prefix = d.topicPrefix(p);
    List<Map<String, Object>> acls = new ArrayList<>();
    List<String> topicOps = List.of("Read", "Write", "Describe", "DescribeConfigs");
    if (prefix.isEmpty()) {
      Topics.ALL.forEach(t -> acls.add(acl("topic", t, "literal", topicOps)));
    } else {
      acls.add(acl("topic", prefix, "prefix", topicOps));
    }
    acls.add(acl("group", Names.consumerGroup(p), "literal", List.of("Read", "Describe")));
    if (d.usesDapr()) {
      // the broadcast component's consumer group is {podName}: the API pods' names
      acls.add(acl("group", Names.api(p) + "-", "prefix", List.of("Read", "Describe")));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("authentication", Dapr.ordered("type", sasl(a) ? "scram-sha-512" : "tls"));
    spec.put("authorization", Dapr.ordered("type", "simple", "acls", acls));
    Map<String, String> labels = Labels.of(p, "events");
    labels.putAll(Topics.selector(p));
    labels.put("strimzi.io/cluster", d.kafka().orElseThrow().getClusterRef().getName());
    return Generic.resource(STRIMZI_API_VERSION, "KafkaUser", Names.kafkaUser(p),
        d.kafkaNamespace(p.getMetadata().getNamespace()), labels, spec);
  }

  private static Map<String, Object> acl(String type, String name, String pattern, List<String> operations) {
    return Dapr.ordered("resource", Dapr.ordered("type", type, "name", name, "patternType", pattern), "operations", operations);
  }

  private static Map<String, Object> secretItem(String name, String secret, String key) {
    return Dapr.ordered("name", name, "secretKeyRef", Dapr.ordered("name", secret, "key", key));
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
        .build();
  }
}
