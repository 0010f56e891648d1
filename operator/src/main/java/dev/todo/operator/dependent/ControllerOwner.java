package dev.todo.operator.dependent;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * The owner reference every garbage-collected child carries: the TodoPlatform is its controller
 * (so no other controller adopts it, and tools show who manages it) and the platform's deletion
 * in the foreground waits for the child.
 */
public final class ControllerOwner {
  private ControllerOwner() {}

  public static OwnerReference of(TodoPlatform primary) {
    return new OwnerReferenceBuilder()
        .withApiVersion(primary.getApiVersion()).withKind(primary.getKind())
        .withName(primary.getMetadata().getName()).withUid(primary.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true)
        .build();
  }

  static void set(HasMetadata child, TodoPlatform primary) {
    child.getMetadata().setOwnerReferences(new java.util.ArrayList<>(java.util.List.of(of(primary))));
  }
}
