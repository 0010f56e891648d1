package dev.todo.operator.dependent;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** A typed child the platform controls: created, updated, and garbage-collected with it. */
abstract class OwnedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, TodoPlatform> {
  OwnedDependent(Class<R> type) {
    super(type);
  }

  @Override
  protected void addReferenceHandlingMetadata(R target, TodoPlatform primary) {
    ControllerOwner.set(target, primary);
  }
}
