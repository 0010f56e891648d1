package dev.todo.operator.desired;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.Map;

/** Objects of APIs other operators own (Dapr, KEDA, CloudNativePG, Prometheus Operator) have no Java model here. */
final class Generic {
  private Generic() {}

  static GenericKubernetesResource resource(String apiVersion, String kind, String name, String namespace,
      Map<String, String> labels, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(apiVersion).withKind(kind)
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
        .addToAdditionalProperties("spec", spec)
        .build();
  }
}
