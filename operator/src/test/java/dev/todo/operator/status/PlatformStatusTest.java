package dev.todo.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.model.ReplicaStatus;
import dev.todo.operator.model.TodoPlatformStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlatformStatusTest {
  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");

  static TodoPlatformStatus status(TodoPlatformStatus previous, Instant now, boolean apiReady) {
    ConditionSet c = new ConditionSet(previous == null ? null : previous.getConditions(), 3, now);
    c.set(ConditionSet.DATABASE, true, "SecretFound", "ok");
    c.set(ConditionSet.TOPICS, true, "NotRequired", "ok");
    c.set(ConditionSet.DAPR, true, "NotRequired", "ok");
    c.set(ConditionSet.API, apiReady, apiReady ? "MinimumReplicasAvailable" : "ReplicasNotReady", "api");
    c.set(ConditionSet.WORKERS, true, "MinimumReplicasAvailable", "workers");
    return PlatformStatus.summarise(c, 3, "http://x", new ReplicaStatus(apiReady ? 1 : 0, 1), new ReplicaStatus(1, 1), true);
  }

  @Test
  void unchangedPlatformGivesAnEqualStatusSoNothingIsPatched() {
    TodoPlatformStatus first = status(null, T0, true);
    assertThat(status(first, T1, true)).isEqualTo(first);
  }

  @Test
  void transitionTimeMovesOnlyForConditionsThatFlipped() {
    TodoPlatformStatus first = status(null, T0, true);
    TodoPlatformStatus second = status(first, T1, false);
    assertThat(second.getPhase()).isEqualTo("Progressing");
    assertThat(second.getReplicas()).isEqualTo("1/2");
    assertThat(second.getConditions()).filteredOn(c -> c.getType().equals("ApiAvailable")).singleElement()
        .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo(T1.toString()));
    assertThat(second.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("ReplicasNotReady");
          assertThat(c.getLastTransitionTime()).isEqualTo(T1.toString());
          assertThat(c.getObservedGeneration()).isEqualTo(3L);
        });
    assertThat(second.getConditions()).filteredOn(c -> c.getType().equals("DatabaseReady")).singleElement()
        .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo(T0.toString()));
    assertThat(second.getConditions().get(0).getType()).isEqualTo("Ready");
  }

  @Test
  void missingOperatorIsDegradedNotProgressing() {
    ConditionSet c = new ConditionSet(null, 1, T0);
    c.set(ConditionSet.DATABASE, true, "SecretFound", "ok");
    c.set(ConditionSet.TOPICS, false, "StrimziNotInstalled", "needs Strimzi");
    TodoPlatformStatus s = PlatformStatus.summarise(c, 1, "u", new ReplicaStatus(0, 1), new ReplicaStatus(0, 1), true);
    assertThat(s.getPhase()).isEqualTo("Degraded");
    assertThat(s.getConditions().get(0).getReason()).isEqualTo("StrimziNotInstalled");
  }
}
