package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CloudNativePGSpec {
  @JsonPropertyDescription("PostgreSQL instances; 1 on minikube, 3 on cloud when absent.")
  @Min(1)
  private Integer instances;
  @JsonPropertyDescription("Volume size per instance, a quantity such as 10Gi; 1Gi on minikube, 10Gi on cloud when absent.")
  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
  private String storageSize;
  @JsonPropertyDescription("Storage class; the cluster default when absent.")
  private String storageClass;
  @JsonPropertyDescription("What happens to the Cluster (and its data) when the TodoPlatform is deleted: Delete or Retain; Retain when absent.")
  private DeletionPolicy deletionPolicy;

  public Integer getInstances() { return instances; }
  public void setInstances(Integer instances) { this.instances = instances; }
  public String getStorageSize() { return storageSize; }
  public void setStorageSize(String storageSize) { this.storageSize = storageSize; }
  public String getStorageClass() { return storageClass; }
  public void setStorageClass(String storageClass) { this.storageClass = storageClass; }
  public DeletionPolicy getDeletionPolicy() { return deletionPolicy; }
  public void setDeletionPolicy(DeletionPolicy deletionPolicy) { this.deletionPolicy = deletionPolicy; }
}
