package dev.todo.operator.model;

/** A container's imagePullPolicy. */
public enum PullPolicy {
  Always,
  IfNotPresent,
  Never
}
