package dev.todo.operator.dependent;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/**
 * A Secret holding a value the operator generates once: the value already in the cluster is always
 * kept, so reconciling never rotates it.
 */
abstract class GeneratedSecretDependent extends OwnedDependent<Secret> {
  GeneratedSecretDependent() {
    super(Secret.class);
  }

  abstract String name(TodoPlatform primary);

  /** The data key holding the generated value. */
  abstract String key();

  /** The desired Secret, given the value (base64) already in the cluster, if any. */
  abstract Secret desired(TodoPlatform primary, Optional<String> existingBase64);

  @Override
  protected Secret desired(TodoPlatform primary, Context<TodoPlatform> context) {
    // Looked up by name: getSecondaryResource would compute the desired state to find it, i.e. recurse.
    Optional<String> existing = eventSource().flatMap(es -> es.get(id(primary)))
        .map(Secret::getData)
        .map(d -> d.get(key()));
    return desired(primary, existing);
  }

  /** The child's name is known without computing its desired state (which needs the spec part that may be gone). */
  @Override
  protected ResourceID targetSecondaryResourceID(TodoPlatform primary, Context<TodoPlatform> context) {
    return id(primary);
  }

  private ResourceID id(TodoPlatform primary) {
    return new ResourceID(name(primary), primary.getMetadata().getNamespace());
  }
}
