package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;

/** Names of the children of one platform; stable, so renames never orphan objects. */
public final class Names {
  private Names() {}

  public static String configMap(TodoPlatform p) { return p.getMetadata().getName() + "-config"; }
  public static String jwtSecret(TodoPlatform p) { return p.getMetadata().getName() + "-jwt"; }
  public static String api(TodoPlatform p) { return p.getMetadata().getName() + "-api"; }
  public static String worker(TodoPlatform p) { return p.getMetadata().getName() + "-worker"; }
  public static String ingress(TodoPlatform p) { return p.getMetadata().getName(); }
  public static String podMonitor(TodoPlatform p) { return p.getMetadata().getName(); }
  /** The endpoint-less Service the Ingress sends /dapr and /prometheus to. */
  public static String internalOnly(TodoPlatform p) { return p.getMetadata().getName() + "-internal-only"; }
  public static String pubsub(TodoPlatform p) { return p.getMetadata().getName() + "-pubsub"; }
  /** The pub/sub component whose consumer group is per pod: every API replica reads every event. */
  public static String broadcastPubsub(TodoPlatform p) { return pubsub(p) + "-broadcast"; }
  /** The token the Dapr sidecar presents to the app (dapr.io/app-token-secret). */
  public static String daprAppToken(TodoPlatform p) { return p.getMetadata().getName() + "-dapr-app-token"; }
  public static String resiliency(TodoPlatform p) { return p.getMetadata().getName() + "-resiliency"; }
  public static String daprConfig(TodoPlatform p) { return p.getMetadata().getName() + "-dapr"; }
  /** Credentials for the brokers copied from Strimzi's KafkaUser Secret and cluster CA. */
  public static String kafkaCredentials(TodoPlatform p) { return p.getMetadata().getName() + "-kafka-credentials"; }
  /** The KEDA TriggerAuthentication for the Kafka scaler. */
  public static String kafkaTriggerAuth(TodoPlatform p) { return p.getMetadata().getName() + "-kafka"; }
  /** The KafkaUser lives in the Kafka cluster's namespace, shared by many platforms: qualify it. */
  public static String kafkaUser(TodoPlatform p) { return p.getMetadata().getNamespace() + "." + p.getMetadata().getName(); }
  public static String database(TodoPlatform p) { return p.getMetadata().getName() + "-db"; }
  /** CloudNativePG names the application Secret of a cluster {@code <cluster>-app}. */
  public static String databaseSecret(TodoPlatform p) { return database(p) + "-app"; }
  public static String consumerGroup(TodoPlatform p) {
    return "todo-" + p.getMetadata().getNamespace() + "-" + p.getMetadata().getName();
  }
  /** KafkaTopics live in the Kafka cluster's namespace, shared by many platforms: qualify them. */
  public static String kafkaTopic(TodoPlatform p, String topic) {
    return p.getMetadata().getNamespace() + "." + p.getMetadata().getName() + "." + topic;
  }
}
