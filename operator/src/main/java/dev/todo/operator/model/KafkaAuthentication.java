package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How clients prove who they are to the brokers. */
public enum KafkaAuthentication {
  /** SASL SCRAM-SHA-512 over TLS. */
  @JsonProperty("scram-sha-512") SCRAM_SHA_512,
  /** SASL PLAIN over TLS (API keys of managed services). Not with a Strimzi clusterRef. */
  @JsonProperty("plain") PLAIN,
  /** Mutual TLS: a client certificate. */
  @JsonProperty("tls") TLS
}
