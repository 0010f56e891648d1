package dev.todo.operator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A structural check of a document against a CRD's OpenAPI v3 schema, as the API server does on
 * create: unknown fields, types, enums, patterns, lengths, required fields and bounds.
 */
final class CrdSchema {
  private CrdSchema() {}

  static List<String> validate(JSONSchemaProps schema, Object value) {
    List<String> errors = new ArrayList<>();
    check(schema, value, "", errors);
    return errors;
  }

  @SuppressWarnings("unchecked")
  private static void check(JSONSchemaProps s, Object v, String path, List<String> errors) {
    if (v == null) return;
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      if (!(v instanceof Number || v instanceof String)) errors.add(path + ": must be int or string");
      return;
    }
    if (Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields()) && s.getProperties() == null) return;
    String type = s.getType();
    if ("object".equals(type)) {
      if (!(v instanceof Map)) {
        errors.add(path + ": must be an object");
        return;
      }
      Map<String, Object> m = (Map<String, Object>) v;
      if (s.getRequired() != null) {
        s.getRequired().stream().filter(r -> !m.containsKey(r)).forEach(r -> errors.add(path + "." + r + ": required"));
      }
      m.forEach((k, child) -> {
        if (s.getProperties() != null && s.getProperties().containsKey(k)) {
          check(s.getProperties().get(k), child, path + "." + k, errors);
        } else if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
          check(s.getAdditionalProperties().getSchema(), child, path + "." + k, errors);
        } else if (s.getProperties() != null) {
          errors.add(path + "." + k + ": unknown field");
        }
      });
    } else if ("array".equals(type)) {
      if (!(v instanceof List)) {
        errors.add(path + ": must be an array");
        return;
      }
      List<Object> l = (List<Object>) v;
      for (int i = 0; i < l.size(); i++) check(s.getItems().getSchema(), l.get(i), path + "[" + i + "]", errors);
    } else if ("string".equals(type)) {
      if (!(v instanceof String)) errors.add(path + ": must be a string");
      else if (s.getEnum() != null && !s.getEnum().isEmpty() && s.getEnum().stream().noneMatch(e -> e.asText().equals(v))) {
        errors.add(path + ": must be one of " + s.getEnum());
      } else if (s.getPattern() != null && !java.util.regex.Pattern.compile(s.getPattern()).matcher((String) v).find()) {
        errors.add(path + ": must match " + s.getPattern());
      } else if (s.getMaxLength() != null && ((String) v).length() > s.getMaxLength()) {
        errors.add(path + ": longer than " + s.getMaxLength());
      }
    } else if ("integer".equals(type) || "number".equals(type)) {
      if (!(v instanceof Number n)) errors.add(path + ": must be a number");
      else if (s.getMinimum() != null && n.doubleValue() < s.getMinimum()) errors.add(path + ": below minimum " + s.getMinimum());
      else if (s.getMaximum() != null && n.doubleValue() > s.getMaximum()) errors.add(path + ": above maximum " + s.getMaximum());
    } else if ("boolean".equals(type) && !(v instanceof Boolean)) {
      errors.add(path + ": must be a boolean");
    }
  }
}
