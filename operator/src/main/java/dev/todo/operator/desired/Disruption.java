package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** PodDisruptionBudgets, cloud profile only: a node drain takes at most one pod of a role at a time. */
public final class Disruption {
  private Disruption() {}

  public static boolean wanted(TodoPlatform p) { return Defaults.of(p).cloud(); }

  public static PodDisruptionBudget api(TodoPlatform p) { return build(p, Names.api(p), AppDeployment.API); }

  public static PodDisruptionBudget worker(TodoPlatform p) { return build(p, Names.worker(p), AppDeployment.WORKER); }

  private static PodDisruptionBudget build(TodoPlatform p, String name, String component) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName(name).withNamespace(p.getMetadata().getNamespace())
        .withLabels(Labels.of(p, component)).endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector().withMatchLabels(Labels.selector(p, component)).endSelector()
        .endSpec()
        .build();
  }
}
