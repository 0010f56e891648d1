package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {
  @JsonPropertyDescription("Secret holding the JWT signing key (at least 32 characters) under key (\"secret\" when absent).")
  private SecretRef jwtSecretRef;

  public SecretRef getJwtSecretRef() { return jwtSecretRef; }
  public void setJwtSecretRef(SecretRef jwtSecretRef) { this.jwtSecretRef = jwtSecretRef; }
}
