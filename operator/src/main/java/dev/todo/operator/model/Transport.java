package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Transport {
  @JsonProperty("inprocess") INPROCESS("inprocess"),
  @JsonProperty("dapr") DAPR("dapr"),
  @JsonProperty("kafka") KAFKA("kafka");

  private final String value;

  Transport(String value) { this.value = value; }

  /** The value of the app's TODO_EVENTS_TRANSPORT. */
  public String value() { return value; }
}
