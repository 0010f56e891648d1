package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;
import dev.todo.operator.model.Transport;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The app's non-secret configuration, shared by every role. */
public final class AppConfig {
  public static final int PORT = 8080;
  public static final String DAPR_PUBSUB_KEY = "TODO_DAPR_PUBSUB";
  public static final String DAPR_BROADCAST_PUBSUB_KEY = "TODO_DAPR_BROADCAST_PUBSUB";

  private AppConfig() {}

  public static Map<String, String> data(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    Map<String, String> data = new TreeMap<>();
    data.put("MICRONAUT_SERVER_PORT", String.valueOf(PORT));
    data.put("TODO_LOG_FORMAT", "json");
    data.put("TODO_EVENTS_TRANSPORT", d.transport().value());
    if (d.transport() == Transport.KAFKA) {
      d.bootstrapServers(p.getMetadata().getNamespace()).ifPresent(b -> data.put("TODO_KAFKA_BOOTSTRAP_SERVERS", b));
      // the group the KEDA trigger watches: the workers must consume in it
      data.put("TODO_KAFKA_GROUP", Names.consumerGroup(p));
      KafkaAuth.appConfig(p, data);
    }
    if (d.transport() != Transport.INPROCESS && !d.topicPrefix(p).isEmpty()) {
      // the app's topic names must match the KafkaTopics (dead-letter topics follow as <topic>-dlq)
      data.put("TODO_EVENTS_TOPICS_TASK_EVENTS", d.topicPrefix(p) + Topics.TASK_EVENTS);
      data.put("TODO_EVENTS_TOPICS_REMINDERS", d.topicPrefix(p) + "reminders");
      data.put("TODO_EVENTS_TOPICS_TASK_UPDATES", d.topicPrefix(p) + "task-updates");
    }
    if (d.usesDapr()) {
      data.put(DAPR_PUBSUB_KEY, Names.pubsub(p));
      // live sync (task-updates) from the component whose consumer group is per pod
      data.put(DAPR_BROADCAST_PUBSUB_KEY, Names.broadcastPubsub(p));
    }
    return data;
  }

  public static ConfigMap desired(TodoPlatform p) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(Names.configMap(p)).withNamespace(p.getMetadata().getNamespace())
        .withLabels(Labels.of(p, "config"))
        .endMetadata()
        .withData(data(p))
        .build();
  }

  /** Pods carry a hash of the configuration so a change rolls them. */
  public static String hash(TodoPlatform p) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      data(p).forEach((k, v) -> md.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
