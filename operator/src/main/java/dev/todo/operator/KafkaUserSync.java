package dev.todo.operator;

import dev.todo.operator.dependent.ControllerOwner;
import dev.todo.operator.desired.Defaults;
import dev.todo.operator.desired.KafkaAuth;
import dev.todo.operator.desired.Labels;
import dev.todo.operator.desired.Names;
import dev.todo.operator.desired.Topics;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * With authentication and a Strimzi clusterRef: the platform's KafkaUser in the Kafka cluster's
 * namespace, and a copy of what its clients need in the platform's namespace (pods cannot mount a
 * Secret of another namespace): Strimzi's credentials for the user and the cluster CA certificate.
 */
public final class KafkaUserSync {
  private final KubernetesClient client;

  public KafkaUserSync(KubernetesClient client) { this.client = client; }

  /** Applies the KafkaUser and the copy; a reason to wait, if Strimzi has not issued the credentials yet. */
  public Optional<String> apply(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    String kafkaNs = d.kafkaNamespace(p.getMetadata().getNamespace());
    client.resource(KafkaAuth.kafkaUser(p)).fieldManager(TodoPlatformReconciler.FIELD_MANAGER).forceConflicts().serverSideApply();
    Secret user = client.secrets().inNamespace(kafkaNs).withName(Names.kafkaUser(p)).get();
    String caName = d.kafka().orElseThrow().getClusterRef().getName() + "-cluster-ca-cert";
    Secret ca = client.secrets().inNamespace(kafkaNs).withName(caName).get();
    if (user == null || user.getData() == null) {
      return Optional.of("Waiting for Strimzi to issue Secret " + kafkaNs + "/" + Names.kafkaUser(p) + " for the KafkaUser");
    }
    if (ca == null || ca.getData() == null || !ca.getData().containsKey(KafkaAuth.CA)) {
      return Optional.of("Cluster CA Secret " + kafkaNs + "/" + caName + " not found");
    }
    Secret copy = credentials(p, user.getData(), ca.getData().get(KafkaAuth.CA));
    copy.getMetadata().setOwnerReferences(new java.util.ArrayList<>(java.util.List.of(ControllerOwner.of(p))));
    client.resource(copy).fieldManager(TodoPlatformReconciler.FIELD_MANAGER).forceConflicts().serverSideApply();
    return Optional.empty();
  }

  /** The copy: username and password (SCRAM) or user.crt and user.key (TLS), and ca.crt; base64 as in the source. */
  public static Secret credentials(TodoPlatform p, Map<String, String> userData, String caBase64) {
    Map<String, String> data = new LinkedHashMap<>();
    if (KafkaAuth.sasl(KafkaAuth.of(p).orElseThrow())) {
      data.put(KafkaAuth.USERNAME, Base64.getEncoder().encodeToString(Names.kafkaUser(p).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      data.put(KafkaAuth.PASSWORD, userData.get("password"));
    } else {
      data.put(KafkaAuth.CERT, userData.get(KafkaAuth.CERT));
      data.put(KafkaAuth.KEY, userData.get(KafkaAuth.KEY));
    }
    data.put(KafkaAuth.CA, caBase64);
    return new SecretBuilder()
        .withNewMetadata().withName(Names.kafkaCredentials(p)).withNamespace(p.getMetadata().getNamespace())
        .withLabels(Labels.of(p, "events")).endMetadata()
        .withType("Opaque").withData(data)
        .build();
  }

  /** The platform's KafkaUsers (found by label), when authentication was removed or the platform is deleted. */
  public void delete(TodoPlatform p) {
    String ns = Defaults.of(p).kafkaNamespace(p.getMetadata().getNamespace());
    var users = client.genericKubernetesResources(KafkaAuth.STRIMZI_API_VERSION, "KafkaUser").inNamespace(ns)
        .withLabels(Topics.selector(p));
    if (!users.list().getItems().isEmpty()) users.delete();
  }
}
