package dev.todo.operator.dependent;

import dev.todo.operator.desired.DaprAppToken;
import dev.todo.operator.desired.Labels;
import dev.todo.operator.desired.Names;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;

/** The token the Dapr sidecar presents to the app: the value already in the cluster is always kept. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DaprAppTokenDependent extends GeneratedSecretDependent {
  @Override
  String name(TodoPlatform primary) {
    return Names.daprAppToken(primary);
  }

  @Override
  String key() {
    return DaprAppToken.KEY;
  }

  @Override
  Secret desired(TodoPlatform primary, Optional<String> existingBase64) {
    return DaprAppToken.desired(primary, existingBase64);
  }
}
