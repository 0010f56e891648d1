package dev.todo.operator.dependent;

import dev.todo.operator.desired.*;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import dev.todo.operator.model.TodoPlatform;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** CPU autoscaling of the API; only with spec.api.autoscaling. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ApiAutoscalerDependent extends OwnedDependent<HorizontalPodAutoscaler> {
  public ApiAutoscalerDependent() {
    super(HorizontalPodAutoscaler.class);
  }

  @Override
  protected HorizontalPodAutoscaler desired(TodoPlatform primary, Context<TodoPlatform> context) {
    return Autoscaling.apiHpa(primary);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return new ResourceID(Names.api(primary), primary.getMetadata().getNamespace());
  }
}
