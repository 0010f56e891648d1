package dev.todo.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.SpecValidation;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's own checks (for objects stored before the CRD had its rules) and the CRD's rules
 * judge the same specs the same way: what one refuses, the other refuses.
 */
class SpecValidationAgreesWithCrdTest {
  @BeforeAll
  static void load() throws IOException {
    CrdValidationRulesTest.load();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "profile: cloud",
      "database: {}",
      "database: {secretRef: {name: db}, cloudNativePG: {}}",
      "database: {secretRef: {name: db}}\nevents: {transport: kafka}",
      "database: {secretRef: {name: db}}\nevents: {transport: dapr, kafka: {partitions: 2}}",
      "database: {secretRef: {name: db}}\nevents: {transport: kafka, kafka: {clusterRef: {name: k}, bootstrapServers: 'b:9092'}}",
      "database: {secretRef: {name: db}}\napi: {autoscaling: {minReplicas: 4, maxReplicas: 2}}",
      "database: {secretRef: {name: db}}\nworkers: {autoscaling: {minReplicas: 4, maxReplicas: 2}}",
      "database: {secretRef: {name: db}}",
      "database: {cloudNativePG: {instances: 3}}\nevents: {transport: kafka, kafka: {clusterRef: {name: k}}}",
      "database: {secretRef: {name: db}}\nevents: {transport: dapr, kafka: {bootstrapServers: 'b:9092'}}\napi: {autoscaling: {minReplicas: 2, maxReplicas: 2}}",
  })
  void bothAcceptOrBothRefuse(String spec) {
    Map<String, Object> doc = CrdValidationRulesTest.platform(spec);
    List<String> crd = CrdValidationRulesTest.onCreate(spec);
    TodoPlatform platform = Serialization.jsonMapper().convertValue(doc, TodoPlatform.class);
    var operator = SpecValidation.check(platform);
    assertThat(operator.isPresent()).as("operator: %s; CRD: %s", operator, crd).isEqualTo(!crd.isEmpty());
    // and about the same part of the spec
    operator.ifPresent(problem -> {
      String field = "." + problem.message().substring(0, problem.message().indexOf(':'));
      assertThat(crd).anyMatch(e -> {
        String crdField = e.substring(0, e.indexOf(':'));
        return field.startsWith(crdField) || crdField.startsWith(field);
      });
    });
  }
}
