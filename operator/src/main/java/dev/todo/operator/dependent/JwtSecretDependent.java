package dev.todo.operator.dependent;

import dev.todo.operator.desired.JwtSecret;
import dev.todo.operator.desired.Labels;
import dev.todo.operator.desired.Names;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;

/** The generated signing key: the value already in the cluster is always kept. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class JwtSecretDependent extends GeneratedSecretDependent {
  @Override
  String name(TodoPlatform primary) {
    return Names.jwtSecret(primary);
  }

  @Override
  String key() {
    return JwtSecret.KEY;
  }

  @Override
  Secret desired(TodoPlatform primary, Optional<String> existingBase64) {
    return JwtSecret.desired(primary, existingBase64);
  }
}
