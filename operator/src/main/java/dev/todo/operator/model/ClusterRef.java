package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.namespace) == has(oldSelf.namespace)"
    + " && (!has(self.namespace) || self.namespace == oldSelf.namespace)",
    message = "clusterRef.namespace is immutable: the platform's KafkaTopics live in that namespace")
public class ClusterRef {
  @Required
  @JsonPropertyDescription("Name of the Strimzi Kafka resource.")
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = 63)
  private String name;
  @JsonPropertyDescription("Its namespace; the platform's namespace when absent. Immutable.")
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = 63)
  private String namespace;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }
}
