package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The app's topics, dead-letter topics included, as Strimzi KafkaTopics in the Kafka cluster's namespace. */
public final class Topics {
  public static final String TASK_EVENTS = "task-events";
  public static final List<String> ALL = List.of(
      TASK_EVENTS, "reminders", "task-updates", "task-events-dlq", "reminders-dlq", "task-updates-dlq");

  private Topics() {}

  public static Map<String, String> selector(TodoPlatform p) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(Labels.PLATFORM_NAMESPACE, p.getMetadata().getNamespace());
    l.put(Labels.PLATFORM_NAME, p.getMetadata().getName());
    return l;
  }

  public static List<KafkaTopic> desired(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    String kafkaNs = d.kafkaNamespace(p.getMetadata().getNamespace());
    String cluster = d.kafka().orElseThrow().getClusterRef().getName();
    return ALL.stream().map(topic -> {
      Map<String, String> labels = Labels.of(p, "events");
      labels.putAll(selector(p));
      labels.put("strimzi.io/cluster", cluster);
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("retention.ms", d.retentionMs());
      if (d.topicReplicas() >= 3) {
        config.put("min.insync.replicas", 2);
      }
      return new KafkaTopicBuilder()
          .withNewMetadata().withName(Names.kafkaTopic(p, topic)).withNamespace(kafkaNs).withLabels(labels).endMetadata()
          .withNewSpec()
          .withTopicName(d.topicPrefix(p) + topic)
          .withPartitions(d.partitions())
          .withReplicas(d.topicReplicas())
          .withConfig(config)
          .endSpec()
          .build();
    }).toList();
  }
}
