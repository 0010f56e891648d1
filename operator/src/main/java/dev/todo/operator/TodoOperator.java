package dev.todo.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.util.Set;
import java.util.function.Consumer;

/** Wires the reconciler into a JOSDK Operator; shared by the runnable jar, the tests and the benchmark. */
public final class TodoOperator {
  private TodoOperator() {}

  /** @param namespaces namespaces to watch; empty means all */
  public static Operator create(KubernetesClient client, Set<String> namespaces, Consumer<ConfigurationServiceOverrider> extra) {
    OptionalApiTypes.register(client);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client);
      extra.accept(o);
    });
    operator.register(new TodoPlatformReconciler(), c -> {
      // Keep retrying a failing platform (backing off to 5 minutes) rather than giving up after a few attempts.
      c.withRetry(new GenericRetry().setInitialInterval(1000).setIntervalMultiplier(2).setMaxInterval(300_000).withoutMaxAttempts());
      if (namespaces.isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(namespaces);
      }
    });
    return operator;
  }
}
