package dev.todo.operator.model;

/** What happens to data-holding children (topics, the database) when their TodoPlatform is deleted. */
public enum DeletionPolicy {
  Delete,
  Retain
}
