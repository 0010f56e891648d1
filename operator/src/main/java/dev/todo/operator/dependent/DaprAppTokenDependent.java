package dev.todo.operator.dependent;

import dev.todo.operator.desired.DaprAppToken;
import dev.todo.operator.desired.Labels;
import dev.todo.operator.desired.Names;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;

/** The token the Dapr sidecar presents to the app: the value already in the cluster is always kept. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DaprAppTokenDependent extends CRUDKubernetesDependentResource<Secret, TodoPlatform> {
  public DaprAppTokenDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(TodoPlatform primary, Context<TodoPlatform> context) {
    // Looked up by name: getSecondaryResource would compute the desired state to find it, i.e. recurse.
    ResourceID id = new ResourceID(Names.daprAppToken(primary), primary.getMetadata().getNamespace());
    Optional<String> existing = eventSource().flatMap(es -> es.get(id))
        .map(Secret::getData)
        .map(d -> d.get(DaprAppToken.KEY));
    return DaprAppToken.desired(primary, existing);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return new ResourceID(Names.daprAppToken(primary), primary.getMetadata().getNamespace());
  }
}
