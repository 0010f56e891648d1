package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CloudNativePGSpec {
  @JsonPropertyDescription("PostgreSQL instances; 1 on minikube, 3 on cloud when absent.")
  @Min(1)
  private Integer instances;
  @JsonPropertyDescription("Volume size per instance; 1Gi on minikube, 10Gi on cloud when absent.")
  private String storageSize;
  @JsonPropertyDescription("Storage class; the cluster default when absent.")
  private String storageClass;

  public Integer getInstances() { return instances; }
  public void setInstances(Integer instances) { this.instances = instances; }
  public String getStorageSize() { return storageSize; }
  public void setStorageSize(String storageSize) { this.storageSize = storageSize; }
  public String getStorageClass() { return storageClass; }
  public void setStorageClass(String storageClass) { this.storageClass = storageClass; }
}
