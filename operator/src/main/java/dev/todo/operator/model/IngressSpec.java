package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class IngressSpec {
  @Required
  @JsonPropertyDescription("Host name the platform is served on.")
  private String host;
  @JsonPropertyDescription("IngressClass name; the cluster default when absent.")
  private String className;
  @JsonPropertyDescription("TLS Secret for the host; plain HTTP when absent.")
  private String tlsSecretName;

  public String getHost() { return host; }
  public void setHost(String host) { this.host = host; }
  public String getClassName() { return className; }
  public void setClassName(String className) { this.className = className; }
  public String getTlsSecretName() { return tlsSecretName; }
  public void setTlsSecretName(String tlsSecretName) { this.tlsSecretName = tlsSecretName; }
}
