package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaStatus {
  private Integer readyReplicas;
  private Integer desiredReplicas;

  public ReplicaStatus() {}

  public ReplicaStatus(int ready, int desired) {
    this.readyReplicas = ready;
    this.desiredReplicas = desired;
  }

  public Integer getReadyReplicas() { return readyReplicas; }
  public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
  public Integer getDesiredReplicas() { return desiredReplicas; }
  public void setDesiredReplicas(Integer desiredReplicas) { this.desiredReplicas = desiredReplicas; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplicaStatus r && Objects.equals(readyReplicas, r.readyReplicas)
        && Objects.equals(desiredReplicas, r.desiredReplicas);
  }

  @Override
  public int hashCode() { return Objects.hash(readyReplicas, desiredReplicas); }
}
