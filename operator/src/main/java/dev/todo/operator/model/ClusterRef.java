package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterRef {
  @Required
  @JsonPropertyDescription("Name of the Strimzi Kafka resource.")
  private String name;
  @JsonPropertyDescription("Its namespace; the platform's namespace when absent.")
  private String namespace;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }
}
