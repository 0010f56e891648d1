package dev.todo.operator.dependent;

import dev.todo.operator.desired.*;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import dev.todo.operator.model.TodoPlatform;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** External access; only with spec.ingress. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class IngressDependent extends OwnedDependent<Ingress> {
  public IngressDependent() {
    super(Ingress.class);
  }

  @Override
  protected Ingress desired(TodoPlatform primary, Context<TodoPlatform> context) {
    return ApiIngress.desired(primary);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return new ResourceID(Names.ingress(primary), primary.getMetadata().getNamespace());
  }
}
