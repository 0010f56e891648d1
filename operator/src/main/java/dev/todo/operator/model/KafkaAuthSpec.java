package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaAuthSpec {
  @Required
  @JsonPropertyDescription("scram-sha-512 or plain (SASL over TLS), or tls (mutual TLS with a client certificate).")
  private KafkaAuthentication type;
  @JsonPropertyDescription("With bootstrapServers: Secret in the platform's namespace with username and password (scram-sha-512, plain) or user.crt and user.key (tls, PEM). With clusterRef the operator creates a KafkaUser and this must be absent.")
  private SecretRef secretRef;
  @JsonPropertyDescription("With bootstrapServers: key of secretRef holding the brokers' CA certificate (PEM); the system's trusted CAs when absent.")
  private String caKey;
  @JsonPropertyDescription("With clusterRef: port of the Strimzi listener with this authentication; 9093 when absent.")
  @Min(1)
  @Max(65535)
  private Integer listenerPort;

  public KafkaAuthentication getType() { return type; }
  public void setType(KafkaAuthentication type) { this.type = type; }
  public SecretRef getSecretRef() { return secretRef; }
  public void setSecretRef(SecretRef secretRef) { this.secretRef = secretRef; }
  public String getCaKey() { return caKey; }
  public void setCaKey(String caKey) { this.caKey = caKey; }
  public Integer getListenerPort() { return listenerPort; }
  public void setListenerPort(Integer listenerPort) { this.listenerPort = listenerPort; }
}
