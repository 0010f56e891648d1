package dev.todo.operator.dependent;

import dev.todo.operator.desired.*;
import dev.todo.operator.model.TodoPlatform;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** KEDA scales workers on the consumer lag of task-events. Only when KEDA is installed. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class WorkerScaledObjectDependent extends OptionalApiDependent {
  public WorkerScaledObjectDependent() {
    super(Autoscaling.KEDA_API_VERSION, "ScaledObject", "scaledobjects");
  }

  @Override
  protected GenericKubernetesResource desired(TodoPlatform primary, Context<TodoPlatform> context) {
    return Autoscaling.workerScaledObject(primary);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return new ResourceID(Names.worker(primary), primary.getMetadata().getNamespace());
  }
}
