package dev.todo.operator.dependent;

import dev.todo.operator.desired.*;
import dev.todo.operator.model.TodoPlatform;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** A CloudNativePG Cluster; only with spec.database.cloudNativePG and CloudNativePG installed. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DatabaseClusterDependent extends OptionalApiDependent {
  public DatabaseClusterDependent() {
    super(Database.CNPG_API_VERSION, "Cluster", "clusters");
  }

  @Override
  protected GenericKubernetesResource desired(TodoPlatform primary, Context<TodoPlatform> context) {
    return Database.cluster(primary);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return new ResourceID(Names.database(primary), primary.getMetadata().getNamespace());
  }
}
