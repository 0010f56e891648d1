package dev.todo.operator.dependent;

import dev.todo.operator.desired.*;
import dev.todo.operator.model.TodoPlatform;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Prometheus scraping of every app pod (API and workers); only when the Prometheus Operator is installed. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class PodMonitorDependent extends OptionalApiDependent {
  public PodMonitorDependent() {
    super(Monitoring.API_VERSION, "PodMonitor", "podmonitors");
  }

  @Override
  protected GenericKubernetesResource desired(TodoPlatform primary, Context<TodoPlatform> context) {
    return Monitoring.podMonitor(primary);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return new ResourceID(Names.podMonitor(primary), primary.getMetadata().getNamespace());
  }
}
