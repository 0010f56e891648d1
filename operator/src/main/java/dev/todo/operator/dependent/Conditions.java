package dev.todo.operator.dependent;

import dev.todo.operator.ApiDiscovery;
import dev.todo.operator.desired.ApiIngress;
import dev.todo.operator.desired.Autoscaling;
import dev.todo.operator.desired.DaprAppToken;
import dev.todo.operator.desired.Defaults;
import dev.todo.operator.desired.Disruption;
import dev.todo.operator.desired.JwtSecret;
import dev.todo.operator.model.TodoPlatform;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Workflow conditions. Activation conditions say whether an optional API exists at all (the
 * dependent's informer is only started once it does); reconcile preconditions say whether the
 * spec wants the child (when it stops wanting it, the child is deleted).
 */
public final class Conditions {
  private Conditions() {}

  interface PlatformCondition extends Condition<Object, TodoPlatform> {
    boolean test(TodoPlatform p, Context<TodoPlatform> c);

    @Override
    default boolean isMet(DependentResource<Object, TodoPlatform> d, TodoPlatform p, Context<TodoPlatform> c) {
      return test(p, c);
    }
  }

  public static class DaprInstalled implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return ApiDiscovery.of(c.getClient()).dapr(); }
  }

  public static class KedaInstalled implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return ApiDiscovery.of(c.getClient()).keda(); }
  }

  public static class CloudNativePGInstalled implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return ApiDiscovery.of(c.getClient()).cloudNativePG(); }
  }

  public static class PrometheusOperatorInstalled implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return ApiDiscovery.of(c.getClient()).prometheusOperator(); }
  }

  public static class JwtSecretGenerated implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return JwtSecret.generated(p); }
  }

  public static class IngressWanted implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return ApiIngress.wanted(p); }
  }

  public static class CloudProfile implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return Disruption.wanted(p); }
  }

  public static class ApiAutoscaled implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return Autoscaling.apiHpaWanted(p); }
  }

  public static class WorkersScaledByCpu implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) {
      return Autoscaling.workerAutoscaled(p) && !Autoscaling.workerUsesKeda(p, ApiDiscovery.of(c.getClient()).keda());
    }
  }

  public static class WorkersScaledByLag implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) {
      return Autoscaling.workerUsesKeda(p, ApiDiscovery.of(c.getClient()).keda());
    }
  }

  public static class DaprTransport implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return Defaults.of(p).usesDapr(); }
  }

  public static class DaprAppTokenWanted implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return DaprAppToken.wanted(p); }
  }

  public static class CloudNativePGWanted implements PlatformCondition {
    public boolean test(TodoPlatform p, Context<TodoPlatform> c) { return Defaults.of(p).usesCloudNativePG(); }
  }
}
