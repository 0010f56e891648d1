package dev.todo.operator.dependent;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GroupVersionKindPlural;

/**
 * A child of an API another operator provides, handled untyped. Created, updated and
 * garbage-collected through owner references like the typed children.
 */
abstract class OptionalApiDependent extends GenericKubernetesDependentResource<TodoPlatform>
    implements Creator<GenericKubernetesResource, TodoPlatform>, Updater<GenericKubernetesResource, TodoPlatform>,
    GarbageCollected<TodoPlatform> {
  /**
   * The plural is given so the client never needs discovery for this type: JOSDK builds the
   * informer even for an inactive dependent, and with the API absent discovery would fail.
   */
  OptionalApiDependent(String apiVersion, String kind, String plural) {
    super(GroupVersionKindPlural.gvkWithPlural(new GroupVersionKind(apiVersion, kind), plural));
  }

  @Override
  protected void addReferenceHandlingMetadata(GenericKubernetesResource target, TodoPlatform primary) {
    ControllerOwner.set(target, primary);
  }
}
