package dev.todo.operator.model;

public enum TopicDeletionPolicy {
  Delete,
  Retain
}
