package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one of secretRef and cloudNativePG. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.secretRef) != has(self.cloudNativePG)",
    message = "set exactly one of secretRef (an existing database) and cloudNativePG (a cluster the operator creates)")
public class DatabaseSpec {
  @JsonPropertyDescription("Secret in the platform's namespace with keys url (JDBC URL) or host, port, dbname; and username (or user), password.")
  private SecretRef secretRef;
  @JsonPropertyDescription("Create a CloudNativePG Cluster and use its generated <name>-db-app Secret. Needs CloudNativePG installed.")
  private CloudNativePGSpec cloudNativePG;

  public SecretRef getSecretRef() { return secretRef; }
  public void setSecretRef(SecretRef secretRef) { this.secretRef = secretRef; }
  public CloudNativePGSpec getCloudNativePG() { return cloudNativePG; }
  public void setCloudNativePG(CloudNativePGSpec cloudNativePG) { this.cloudNativePG = cloudNativePG; }
}
