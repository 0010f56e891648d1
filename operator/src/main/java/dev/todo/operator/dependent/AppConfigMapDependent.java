package dev.todo.operator.dependent;

import dev.todo.operator.desired.*;
import io.fabric8.kubernetes.api.model.ConfigMap;
import dev.todo.operator.model.TodoPlatform;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The app configuration every role reads. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class AppConfigMapDependent extends OwnedDependent<ConfigMap> {
  public AppConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(TodoPlatform primary, Context<TodoPlatform> context) {
    return AppConfig.desired(primary);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return new ResourceID(Names.configMap(primary), primary.getMetadata().getNamespace());
  }
}
