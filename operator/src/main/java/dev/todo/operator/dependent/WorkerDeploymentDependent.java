package dev.todo.operator.dependent;

import dev.todo.operator.desired.*;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import dev.todo.operator.model.TodoPlatform;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Consumes events and schedules reminders (roles worker,scheduler). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class WorkerDeploymentDependent extends OwnedDependent<Deployment> {
  public WorkerDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(TodoPlatform primary, Context<TodoPlatform> context) {
    return AppDeployment.worker(primary);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return new ResourceID(Names.worker(primary), primary.getMetadata().getNamespace());
  }
}
