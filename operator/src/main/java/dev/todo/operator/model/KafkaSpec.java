package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaSpec {
  @JsonPropertyDescription("A Strimzi Kafka cluster; the operator creates the topics there. Needs Strimzi installed.")
  private ClusterRef clusterRef;
  @JsonPropertyDescription("Explicit bootstrap servers (host:port,...) when Kafka is not managed by Strimzi; topics are then not created.")
  private String bootstrapServers;
  @JsonPropertyDescription("Partitions per topic; 1 on minikube, 6 on cloud when absent.")
  @Min(1)
  private Integer partitions;
  @JsonPropertyDescription("Topic retention in milliseconds; 7 days when absent.")
  @Min(1)
  private Long retentionMs;
  @JsonPropertyDescription("What happens to the KafkaTopics when the TodoPlatform is deleted: Delete or Retain; Delete when absent.")
  private TopicDeletionPolicy topicDeletionPolicy;
  @JsonPropertyDescription("Prefix for every topic name (e.g. team-a.); none when absent.")
  private String topicPrefix;

  public ClusterRef getClusterRef() { return clusterRef; }
  public void setClusterRef(ClusterRef clusterRef) { this.clusterRef = clusterRef; }
  public String getBootstrapServers() { return bootstrapServers; }
  public void setBootstrapServers(String bootstrapServers) { this.bootstrapServers = bootstrapServers; }
  public Integer getPartitions() { return partitions; }
  public void setPartitions(Integer partitions) { this.partitions = partitions; }
  public Long getRetentionMs() { return retentionMs; }
  public void setRetentionMs(Long retentionMs) { this.retentionMs = retentionMs; }
  public TopicDeletionPolicy getTopicDeletionPolicy() { return topicDeletionPolicy; }
  public void setTopicDeletionPolicy(TopicDeletionPolicy p) { this.topicDeletionPolicy = p; }
  public String getTopicPrefix() { return topicPrefix; }
  public void setTopicPrefix(String topicPrefix) { this.topicPrefix = topicPrefix; }
}
