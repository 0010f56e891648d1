package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TodoPlatformStatus {
  private Long observedGeneration;
  private String phase;
  private String url;
  /** Ready over desired replicas of both deployments, for the REPLICAS column. */
  private String replicas;
  private ReplicaStatus api;
  private ReplicaStatus workers;
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getPhase() { return phase; }
  public void setPhase(String phase) { this.phase = phase; }
  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public String getReplicas() { return replicas; }
  public void setReplicas(String replicas) { this.replicas = replicas; }
  public ReplicaStatus getApi() { return api; }
  public void setApi(ReplicaStatus api) { this.api = api; }
  public ReplicaStatus getWorkers() { return workers; }
  public void setWorkers(ReplicaStatus workers) { this.workers = workers; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TodoPlatformStatus s)) return false;
    return Objects.equals(observedGeneration, s.observedGeneration) && Objects.equals(phase, s.phase)
        && Objects.equals(url, s.url) && Objects.equals(replicas, s.replicas) && Objects.equals(api, s.api)
        && Objects.equals(workers, s.workers) && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, url, replicas, api, workers, conditions);
  }
}
