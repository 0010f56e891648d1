package dev.todo.operator.crd;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a CRD schema's {@code x-kubernetes-validations} the way the API server does on create
 * and update: each rule at each node present in the object, {@code self} bound to that node; a
 * rule that reads {@code oldSelf} (a transition rule) only on update and only where the old
 * object had that node too. Standard CEL (cel-java); the rules here use no Kubernetes extension
 * library.
 */
final class CelRules {
  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN).addVar("oldSelf", SimpleType.DYN).build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private CelRules() {}

  /** The messages of the rules the new object breaks; empty when the API server would accept it. */
  static List<String> violations(JSONSchemaProps schema, Object newValue, Object oldValue) {
    List<String> out = new ArrayList<>();
    walk(schema, toCel(newValue), toCel(oldValue), oldValue != null, "", out);
    return out;
  }

  /** Every rule in the schema, so a test can show each one is exercised. */
  static List<String> allRules(JSONSchemaProps schema) {
    List<String> out = new ArrayList<>();
    collect(schema, out);
    return out;
  }

  private static void collect(JSONSchemaProps s, List<String> out) {
    if (s.getXKubernetesValidations() != null) s.getXKubernetesValidations().forEach(r -> out.add(r.getRule()));
    if (s.getProperties() != null) s.getProperties().values().forEach(p -> collect(p, out));
    if (s.getItems() != null && s.getItems().getSchema() != null) collect(s.getItems().getSchema(), out);
  }

  @SuppressWarnings("unchecked")
  private static void walk(JSONSchemaProps s, Object self, Object oldSelf, boolean update, String path, List<String> out) {
    if (self == null) return;
    if (s.getXKubernetesValidations() != null) {
      for (ValidationRule rule : s.getXKubernetesValidations()) {
        boolean transition = rule.getRule().contains("oldSelf");
        if (transition && (!update || oldSelf == null)) continue;
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("self", self);
        if (transition) vars.put("oldSelf", oldSelf);
        if (!Boolean.TRUE.equals(eval(rule.getRule(), vars))) {
          out.add((path.isEmpty() ? "<root>" : path) + ": " + rule.getMessage());
        }
      }
    }
    if (s.getProperties() != null && self instanceof Map<?, ?> m) {
      Map<String, Object> old = oldSelf instanceof Map<?, ?> o ? (Map<String, Object>) o : Map.of();
      s.getProperties().forEach((k, child) -> walk(child, m.get(k), old.get(k), update, path + "." + k, out));
    }
  }

  private static Object eval(String rule, Map<String, Object> vars) {
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(rule).getAst();
      return RUNTIME.createProgram(ast).eval(vars);
    } catch (Exception e) {
      throw new IllegalStateException("rule " + rule + ": " + e.getMessage(), e);
    }
  }

  /** JSON values as CEL sees them: integers are int64, lists and maps keep their order. */
  @SuppressWarnings("unchecked")
  private static Object toCel(Object v) {
    if (v instanceof Integer i) return i.longValue();
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) m).forEach((k, x) -> out.put(k, toCel(x)));
      return out;
    }
    if (v instanceof List<?> l) return l.stream().map(CelRules::toCel).toList();
    return v;
  }
}
