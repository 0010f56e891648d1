package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standard app.kubernetes.io labels. Nothing is copied from the TodoPlatform's own labels or
 * annotations: GitOps tools track objects by them and would prune children that carry them.
 */
public final class Labels {
  public static final String MANAGED_BY = "todo-operator";
  public static final String MANAGED_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;
  public static final String PLATFORM_NAMESPACE = "todo.dev/platform-namespace";
  public static final String PLATFORM_NAME = "todo.dev/platform-name";

  private Labels() {}

  public static Map<String, String> selector(TodoPlatform p, String component) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("app.kubernetes.io/name", "todo");
    l.put("app.kubernetes.io/instance", p.getMetadata().getName());
    l.put("app.kubernetes.io/component", component);
    return l;
  }

  public static Map<String, String> of(TodoPlatform p, String component) {
    Map<String, String> l = selector(p, component);
    l.put("app.kubernetes.io/part-of", "todo-platform");
    l.put("app.kubernetes.io/managed-by", MANAGED_BY);
    String version = Defaults.of(p).imageVersionLabel();
    if (version != null) {
      l.put("app.kubernetes.io/version", version);
    }
    return l;
  }
}
