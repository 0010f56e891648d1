package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.transport) || self.transport == 'inprocess' || has(self.kafka)",
    message = "transport dapr and kafka need kafka (clusterRef or bootstrapServers)")
public class EventsSpec {
  @JsonPropertyDescription("dapr (pub/sub through the Dapr sidecar, backed by Kafka) or kafka (direct). In-process when events is absent.")
  private Transport transport;
  @JsonPropertyDescription("The Kafka cluster both transports use.")
  private KafkaSpec kafka;

  public Transport getTransport() { return transport; }
  public void setTransport(Transport transport) { this.transport = transport; }
  public KafkaSpec getKafka() { return kafka; }
  public void setKafka(KafkaSpec kafka) { this.kafka = kafka; }
}
