package dev.todo.operator;

import dev.todo.operator.desired.Defaults;
import dev.todo.operator.desired.Topics;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The platform's KafkaTopics live in the Kafka cluster's namespace, where ownerReferences cannot
 * point back to the TodoPlatform: they are applied here, found again by label, and removed by the
 * reconciler's finalizer according to topicDeletionPolicy.
 */
public final class KafkaTopicSync {
  private final KubernetesClient client;

  public KafkaTopicSync(KubernetesClient client) { this.client = client; }

  /** Applies the desired topics, deletes ones no longer desired; returns how many report Ready. */
  public long apply(TodoPlatform p) {
    List<KafkaTopic> desired = Topics.desired(p);
    String ns = desired.get(0).getMetadata().getNamespace();
    Set<String> names = desired.stream().map(t -> t.getMetadata().getName()).collect(Collectors.toSet());
    for (KafkaTopic t : desired) {
      client.resource(t).fieldManager(TodoPlatformReconciler.FIELD_MANAGER).forceConflicts().serverSideApply();
    }
    List<KafkaTopic> existing = owned(p, ns);
    existing.stream().filter(t -> !names.contains(t.getMetadata().getName()))
        .forEach(t -> client.resource(t).delete());
    return existing.stream().filter(t -> names.contains(t.getMetadata().getName())).filter(KafkaTopicSync::ready).count();
  }

  public void delete(TodoPlatform p) {
    String ns = Defaults.of(p).kafkaNamespace(p.getMetadata().getNamespace());
    client.resources(KafkaTopic.class).inNamespace(ns).withLabels(Topics.selector(p)).delete();
  }

  private List<KafkaTopic> owned(TodoPlatform p, String ns) {
    return client.resources(KafkaTopic.class).inNamespace(ns).withLabels(Topics.selector(p)).list().getItems();
  }

  static boolean ready(KafkaTopic t) {
    return t.getStatus() != null && t.getStatus().getConditions() != null
        && t.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Whether the referenced Strimzi Kafka exists. */
  public boolean kafkaExists(String namespace, String name) {
    return client.genericKubernetesResources(ApiDiscovery.STRIMZI, "Kafka").inNamespace(namespace).withName(name).get() != null;
  }
}
