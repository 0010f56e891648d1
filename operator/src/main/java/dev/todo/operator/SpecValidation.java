package dev.todo.operator;

import dev.todo.operator.model.DatabaseSpec;
import dev.todo.operator.model.KafkaSpec;
import dev.todo.operator.model.TodoPlatform;
import dev.todo.operator.model.TodoPlatformSpec;
import dev.todo.operator.model.Transport;
import java.util.Optional;

/**
 * The spec's cross-field rules; the first problem names the offending field. The CRD enforces the
 * same rules at admission (CEL x-kubernetes-validations), so a bad spec is normally refused by
 * kubectl apply. These checks remain for objects stored before the rules existed (an upgraded CRD
 * does not re-validate them) and for servers that skip CEL.
 */
public final class SpecValidation {
  public record Problem(String reason, String message) {}

  private SpecValidation() {}

  public static Optional<Problem> check(TodoPlatform p) {
    TodoPlatformSpec spec = p.getSpec();
    DatabaseSpec db = spec == null ? null : spec.getDatabase();
    if (db == null || (db.getSecretRef() == null && db.getCloudNativePG() == null)) {
      return Optional.of(new Problem("DatabaseMissing",
          "spec.database: set either secretRef or cloudNativePG"));
    }
    if (db.getSecretRef() != null && db.getCloudNativePG() != null) {
      return Optional.of(new Problem("DatabaseAmbiguous",
          "spec.database: secretRef and cloudNativePG are mutually exclusive; set only one"));
    }
    if (spec.getEvents() != null && spec.getEvents().getTransport() != null
        && spec.getEvents().getTransport() != Transport.INPROCESS) {
      KafkaSpec kafka = spec.getEvents().getKafka();
      if (kafka == null || (kafka.getClusterRef() == null && kafka.getBootstrapServers() == null)) {
        return Optional.of(new Problem("KafkaMissing",
            "spec.events.kafka: transport " + spec.getEvents().getTransport().value()
                + " needs clusterRef or bootstrapServers"));
      }
      if (kafka.getClusterRef() != null && kafka.getBootstrapServers() != null) {
        return Optional.of(new Problem("KafkaAmbiguous",
            "spec.events.kafka: clusterRef and bootstrapServers are mutually exclusive; set only one"));
      }
    }
    if (spec.getApi() != null && spec.getApi().getAutoscaling() != null && spec.getApi().getAutoscaling().getMaxReplicas() != null
        && spec.getApi().getAutoscaling().getMinReplicas() != null
        && spec.getApi().getAutoscaling().getMaxReplicas() < spec.getApi().getAutoscaling().getMinReplicas()) {
      return Optional.of(new Problem("AutoscalingBoundsInverted",
          "spec.api.autoscaling: maxReplicas is below minReplicas"));
    }
    if (spec.getWorkers() != null && spec.getWorkers().getAutoscaling() != null && spec.getWorkers().getAutoscaling().getMaxReplicas() != null
        && spec.getWorkers().getAutoscaling().getMinReplicas() != null
        && spec.getWorkers().getAutoscaling().getMaxReplicas() < spec.getWorkers().getAutoscaling().getMinReplicas()) {
      return Optional.of(new Problem("AutoscalingBoundsInverted",
          "spec.workers.autoscaling: maxReplicas is below minReplicas"));
    }
    return Optional.empty();
  }
}
