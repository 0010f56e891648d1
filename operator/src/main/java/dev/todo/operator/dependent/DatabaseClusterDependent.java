package dev.todo.operator.dependent;

import dev.todo.operator.desired.*;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GroupVersionKindPlural;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * A CloudNativePG Cluster; only with spec.database.cloudNativePG and CloudNativePG installed.
 * <p>
 * It holds the platform's data, so it carries no owner reference and is neither garbage-collected
 * nor deleted by the workflow: deleting the TodoPlatform, or removing cloudNativePG from its spec,
 * keeps it. The reconciler's finalizer deletes it only with {@code deletionPolicy: Delete}. JOSDK
 * maps its events back to the platform through the primary-name/namespace annotations it adds.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DatabaseClusterDependent extends GenericKubernetesDependentResource<TodoPlatform>
    implements Creator<GenericKubernetesResource, TodoPlatform>, Updater<GenericKubernetesResource, TodoPlatform> {
  public DatabaseClusterDependent() {
    super(GroupVersionKindPlural.gvkWithPlural(new GroupVersionKind(Database.CNPG_API_VERSION, "Cluster"), "clusters"));
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
