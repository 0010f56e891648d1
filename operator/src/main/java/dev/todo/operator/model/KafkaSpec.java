package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.clusterRef) != has(self.bootstrapServers)",
    message = "set exactly one of clusterRef (a Strimzi Kafka) and bootstrapServers")
@ValidationRule(value = "has(self.topicPrefix) == has(oldSelf.topicPrefix)"
    + " && (!has(self.topicPrefix) || self.topicPrefix == oldSelf.topicPrefix)",
    message = "topicPrefix is immutable: changing it would leave the platform's events in the old topics")
@ValidationRule(value = "!has(self.authentication) || (has(self.clusterRef)"
    + " ? !has(self.authentication.secretRef) && !has(self.authentication.caKey) && self.authentication.type != 'plain'"
    + " : has(self.authentication.secretRef) && !has(self.authentication.listenerPort))",
    message = "authentication: with clusterRef the operator creates a KafkaUser (scram-sha-512 or tls; no secretRef or caKey);"
        + " with bootstrapServers set secretRef (no listenerPort)")
public class KafkaSpec {
  @JsonPropertyDescription("A Strimzi Kafka cluster; the operator creates the topics there. Needs Strimzi installed.")
  private ClusterRef clusterRef;
  @JsonPropertyDescription("Explicit bootstrap servers (host:port,...) when Kafka is not managed by Strimzi (e.g. a managed Kafka service); topics are then not created.")
  @Pattern("^[A-Za-z0-9.-]+:[0-9]+(,[A-Za-z0-9.-]+:[0-9]+)*$")
  @Size(max = 2048)
  private String bootstrapServers;
  @JsonPropertyDescription("How the app, the Dapr component and the KEDA trigger authenticate to the brokers; plain listeners without credentials when absent (e.g. Minikube).")
  private KafkaAuthSpec authentication;
  @JsonPropertyDescription("Partitions per topic; 1 on minikube, 6 on cloud when absent.")
  @Min(1)
  private Integer partitions;
  @JsonPropertyDescription("Topic retention in milliseconds; 7 days when absent.")
  @Min(1)
  private Long retentionMs;
  @JsonPropertyDescription("What happens to the KafkaTopics when the TodoPlatform is deleted: Delete or Retain; Retain when absent.")
  private DeletionPolicy topicDeletionPolicy;
  @JsonPropertyDescription("Prefix for every topic name; <namespace>.<name>. when absent, so platforms sharing a Kafka cluster never share topics. Immutable.")
  @Pattern("^[a-zA-Z0-9._-]*$")
  @Size(max = 150)
  private String topicPrefix;

  public ClusterRef getClusterRef() { return clusterRef; }
  public void setClusterRef(ClusterRef clusterRef) { this.clusterRef = clusterRef; }
  public String getBootstrapServers() { return bootstrapServers; }
  public void setBootstrapServers(String bootstrapServers) { this.bootstrapServers = bootstrapServers; }
  public KafkaAuthSpec getAuthentication() { return authentication; }
  public void setAuthentication(KafkaAuthSpec authentication) { this.authentication = authentication; }
  public Integer getPartitions() { return partitions; }
  public void setPartitions(Integer partitions) { this.partitions = partitions; }
  public Long getRetentionMs() { return retentionMs; }
  public void setRetentionMs(Long retentionMs) { this.retentionMs = retentionMs; }
  public DeletionPolicy getTopicDeletionPolicy() { return topicDeletionPolicy; }
  public void setTopicDeletionPolicy(DeletionPolicy p) { this.topicDeletionPolicy = p; }
  public String getTopicPrefix() { return topicPrefix; }
  public void setTopicPrefix(String topicPrefix) { this.topicPrefix = topicPrefix; }
}
