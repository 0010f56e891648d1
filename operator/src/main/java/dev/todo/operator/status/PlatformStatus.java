package dev.todo.operator.status;

import dev.todo.operator.model.ReplicaStatus;
import dev.todo.operator.model.TodoPlatformStatus;
import java.util.List;

/** Folds the per-part conditions into the summary: Ready, phase and the REPLICAS column. */
public final class PlatformStatus {
  public static final List<String> PARTS =
      List.of(ConditionSet.DATABASE, ConditionSet.TOPICS, ConditionSet.DAPR, ConditionSet.API, ConditionSet.WORKERS);

  private PlatformStatus() {}

  /** Reasons that no amount of waiting fixes: the spec or the cluster must change. */
  static boolean blocking(String reason) {
    return reason.endsWith("NotInstalled") || reason.endsWith("NotFound") || reason.endsWith("Missing")
        || reason.endsWith("Ambiguous") || reason.endsWith("Inverted") || reason.equals("ReconcileFailed");
  }

  public static TodoPlatformStatus summarise(ConditionSet conditions, long generation, String url,
      ReplicaStatus api, ReplicaStatus workers, boolean childrenExist) {
    String phase;
    var firstFalse = PARTS.stream().map(conditions::get).filter(c -> c != null && !"True".equals(c.getStatus())).findFirst();
    if (firstFalse.isEmpty()) {
      conditions.set(ConditionSet.READY, true, "Ready", "All parts of the platform are ready");
      phase = "Ready";
    } else {
      var c = firstFalse.get();
      conditions.set(ConditionSet.READY, false, c.getReason(), c.getType() + ": " + c.getMessage());
      phase = blocking(c.getReason()) ? "Degraded" : childrenExist ? "Progressing" : "Pending";
    }
    TodoPlatformStatus s = new TodoPlatformStatus();
    s.setObservedGeneration(generation);
    s.setPhase(phase);
    s.setUrl(url);
    s.setApi(api);
    s.setWorkers(workers);
    if (api != null && workers != null) {
      s.setReplicas((api.getReadyReplicas() + workers.getReadyReplicas()) + "/"
          + (api.getDesiredReplicas() + workers.getDesiredReplicas()));
    }
    s.setConditions(conditions.list());
    return s;
  }

  /** An invalid spec: only Ready, saying which field is wrong. */
  public static TodoPlatformStatus invalid(ConditionSet conditions, long generation, String reason, String message) {
    conditions.set(ConditionSet.READY, false, reason, message);
    TodoPlatformStatus s = new TodoPlatformStatus();
    s.setObservedGeneration(generation);
    s.setPhase("Degraded");
    s.setConditions(conditions.list());
    return s;
  }
}
