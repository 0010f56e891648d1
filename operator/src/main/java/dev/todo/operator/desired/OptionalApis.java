package dev.todo.operator.desired;

/** Which optional APIs the cluster serves. */
public record OptionalApis(boolean dapr, boolean strimzi, boolean keda, boolean cloudNativePG, boolean prometheusOperator) {
  public static final OptionalApis NONE = new OptionalApis(false, false, false, false, false);
  public static final OptionalApis ALL = new OptionalApis(true, true, true, true, true);
}
