package dev.todo.operator.dependent;

import dev.todo.operator.desired.*;
import dev.todo.operator.model.TodoPlatform;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The pub/sub component for broadcast topics (a consumer group per pod). Only with transport dapr and Dapr installed. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DaprBroadcastPubSubDependent extends OptionalApiDependent {
  public DaprBroadcastPubSubDependent() {
    super(Dapr.API_VERSION, "Component", "components");
  }

  @Override
  protected GenericKubernetesResource desired(TodoPlatform primary, Context<TodoPlatform> context) {
    return Dapr.broadcastPubsub(primary);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return new ResourceID(Names.broadcastPubsub(primary), primary.getMetadata().getNamespace());
  }
}
