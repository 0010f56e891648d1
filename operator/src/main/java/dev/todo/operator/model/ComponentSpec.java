package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComponentSpec {
  @JsonPropertyDescription("Fixed replica count; ignored when autoscaling is set.")
  @Min(0)
  private Integer replicas;
  @JsonPropertyDescription("Autoscaling bounds; replicas are managed by an autoscaler when set.")
  private AutoscalingSpec autoscaling;
  @JsonPropertyDescription("Container resources; profile defaults when absent.")
  private ResourceRequirements resources;
  @JsonPropertyDescription("Extra environment variables, appended after the ones the operator sets.")
  private List<EnvVar> env;

  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public AutoscalingSpec getAutoscaling() { return autoscaling; }
  public void setAutoscaling(AutoscalingSpec autoscaling) { this.autoscaling = autoscaling; }
  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements resources) { this.resources = resources; }
  public List<EnvVar> getEnv() { return env; }
  public void setEnv(List<EnvVar> env) { this.env = env; }
}
