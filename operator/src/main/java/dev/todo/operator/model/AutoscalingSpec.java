package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
    message = "maxReplicas must not be below minReplicas")
public class AutoscalingSpec {
  @JsonPropertyDescription("Lower bound; 1 when absent.")
  @Min(1)
  private Integer minReplicas;
  @JsonPropertyDescription("Upper bound.")
  @Min(1)
  private Integer maxReplicas;
  @JsonPropertyDescription("Target average CPU utilisation in percent; 75 when absent.")
  @Min(1)
  @io.fabric8.generator.annotation.Max(100)
  private Integer targetCPUUtilizationPercentage;
  @JsonPropertyDescription("Workers with KEDA only: consumer lag per replica that triggers a scale-out; 50 when absent.")
  @Min(1)
  private Integer lagThreshold;

  public Integer getMinReplicas() { return minReplicas; }
  public void setMinReplicas(Integer minReplicas) { this.minReplicas = minReplicas; }
  public Integer getMaxReplicas() { return maxReplicas; }
  public void setMaxReplicas(Integer maxReplicas) { this.maxReplicas = maxReplicas; }
  public Integer getTargetCPUUtilizationPercentage() { return targetCPUUtilizationPercentage; }
  public void setTargetCPUUtilizationPercentage(Integer v) { this.targetCPUUtilizationPercentage = v; }
  public Integer getLagThreshold() { return lagThreshold; }
  public void setLagThreshold(Integer lagThreshold) { this.lagThreshold = lagThreshold; }
}
