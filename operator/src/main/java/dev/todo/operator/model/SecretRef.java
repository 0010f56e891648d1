package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {
  @Required
  private String name;
  private String key;

  public SecretRef() {}

  public SecretRef(String name) { this.name = name; }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  /** Only for single-value secrets (the JWT key); "secret" when absent. */
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
}
