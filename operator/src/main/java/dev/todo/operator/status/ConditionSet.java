package dev.todo.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the conditions of one reconcile. lastTransitionTime is carried over from the previous
 * status unless the condition's status flipped, so an unchanged platform yields an identical
 * status and is not patched.
 */
public final class ConditionSet {
  public static final String READY = "Ready";
  public static final String DATABASE = "DatabaseReady";
  public static final String TOPICS = "KafkaTopicsReady";
  public static final String DAPR = "DaprReady";
  public static final String API = "ApiAvailable";
  public static final String WORKERS = "WorkersAvailable";

  private final Map<String, Condition> previous = new LinkedHashMap<>();
  private final Map<String, Condition> current = new LinkedHashMap<>();
  private final long generation;
  private final Instant now;

  public ConditionSet(List<Condition> previous, long generation, Instant now) {
    if (previous != null) previous.forEach(c -> this.previous.put(c.getType(), c));
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  public ConditionSet set(String type, boolean status, String reason, String message) {
    String s = status ? "True" : "False";
    Condition old = previous.get(type);
    String transition = old != null && s.equals(old.getStatus()) && old.getLastTransitionTime() != null
        ? old.getLastTransitionTime() : now.toString();
    current.put(type, new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
        .withLastTransitionTime(transition).withObservedGeneration(generation).build());
    return this;
  }

  public Condition get(String type) { return current.get(type); }

  public boolean isTrue(String type) { return current.containsKey(type) && "True".equals(current.get(type).getStatus()); }

  /** Ready first, then the others in the order they were set. */
  public List<Condition> list() {
    List<Condition> out = new ArrayList<>();
    if (current.containsKey(READY)) out.add(current.get(READY));
    current.forEach((k, v) -> {
      if (!READY.equals(k)) out.add(v);
    });
    return out;
  }
}
