package dev.todo.operator.dependent;

import dev.todo.operator.desired.*;
import io.fabric8.kubernetes.api.model.Service;
import dev.todo.operator.model.TodoPlatform;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Where the Ingress sends the paths that stay inside the cluster; only with spec.ingress. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class IngressInternalOnlyServiceDependent extends OwnedDependent<Service> {
  public IngressInternalOnlyServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(TodoPlatform primary, Context<TodoPlatform> context) {
    return ApiIngress.internalOnly(primary);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return new ResourceID(Names.internalOnly(primary), primary.getMetadata().getNamespace());
  }
}
