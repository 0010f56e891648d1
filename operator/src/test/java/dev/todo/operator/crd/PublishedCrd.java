package dev.todo.operator.crd;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns the CRD the Fabric8 generator writes into the one we publish: printer columns in the order
 * READY, PHASE, REPLICAS, URL, AGE (the generator sorts them by path) and without explicit
 * {@code priority: 0}, which the API server drops and GitOps tools then report as drift.
 */
final class PublishedCrd {
  static final List<String> COLUMN_ORDER = List.of("Ready", "Phase", "Replicas", "URL", "Age");

  private PublishedCrd() {}

  @SuppressWarnings("unchecked")
  static String publish(String generated) {
    Map<String, Object> crd = Serialization.unmarshal(generated, Map.class);
    Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
    for (Object v : (List<Object>) spec.get("versions")) {
      Map<String, Object> version = (Map<String, Object>) v;
      List<Map<String, Object>> columns = new ArrayList<>((List<Map<String, Object>>) version.get("additionalPrinterColumns"));
      columns.forEach(c -> {
        if (Integer.valueOf(0).equals(c.get("priority"))) c.remove("priority");
      });
      columns.sort(Comparator.comparingInt(c -> COLUMN_ORDER.indexOf((String) c.get("name"))));
      version.put("additionalPrinterColumns", columns);
    }
    return "# Generated from operator/src/main/java/dev/todo/operator/model by the build; do not edit.\n"
        + "# Refresh with: ./mvnw -pl operator verify -Dcrds.update=true\n"
        + Serialization.asYaml(crd);
  }
}
