package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Profile {
  @JsonProperty("minikube") MINIKUBE,
  @JsonProperty("cloud") CLOUD
}
