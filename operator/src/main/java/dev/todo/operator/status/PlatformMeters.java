package dev.todo.operator.status;

import dev.todo.operator.model.TodoPlatform;
import dev.todo.operator.model.TodoPlatformStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the operator's alerts watch, beside JOSDK's own meters: {@code todo_platform_ready{platform_namespace,
 * platform}} (1 while a TodoPlatform's phase is Ready, else 0) and {@code todo_operator_reconcile_failures_total}
 * (reconciles that ended in an error, registered at start so the series exists before the first one).
 * On Micrometer's global registry, to which the operator's Prometheus registry is added. The labels
 * are not {@code namespace}/{@code name}: Prometheus sets {@code namespace} to the operator pod's own.
 */
public final class PlatformMeters {
  public static final String READY_METER = "todo.platform.ready";
  private static final MeterRegistry REGISTRY = Metrics.globalRegistry;
  private static final Map<List<String>, AtomicInteger> READY = new ConcurrentHashMap<>();
  private static final Counter FAILURES = Counter.builder("todo.operator.reconcile.failures")
      .description("Reconciles of a TodoPlatform that ended in an error (retried with back-off)").register(REGISTRY);

  private PlatformMeters() {}

  /** Registers the meters that exist before any platform does. */
  public static void register() {
    // class initialisation has registered FAILURES
  }

  public static void reconcileFailed() { FAILURES.increment(); }

  public static void record(TodoPlatform p, TodoPlatformStatus status) {
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    READY.computeIfAbsent(List.of(ns, name), k -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder(READY_METER, value, AtomicInteger::get)
          .description("1 when the TodoPlatform is Ready, 0 otherwise")
          .tags("platform_namespace", ns, "platform", name).register(REGISTRY);
      return value;
    }).set("Ready".equals(status.getPhase()) ? 1 : 0);
  }

  /** The platform is gone: its series ends. */
  public static void forget(TodoPlatform p) {
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    if (READY.remove(List.of(ns, name)) != null) {
      REGISTRY.find(READY_METER).tags("platform_namespace", ns, "platform", name).meters().forEach(REGISTRY::remove);
    }
  }
}
