package dev.todo.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD's CEL rules (x-kubernetes-validations) evaluated with cel-java against good and bad
 * TodoPlatforms, on create and on update: what `kubectl apply` (and so an Argo CD sync) is told.
 */
class CrdValidationRulesTest {
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
  static JSONSchemaProps schema;

  @BeforeAll
  public static void load() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(
        Files.readString(ROOT.resolve("crds/todoplatforms.todo.dev-v1.yml")), CustomResourceDefinition.class);
    schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> doc(String yaml) {
    try {
      return SamplesMatchCrdTest.YAML.readValue(yaml, Map.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static Map<String, Object> platform(String spec) {
    return doc("apiVersion: todo.dev/v1alpha1\nkind: TodoPlatform\nmetadata: {name: todo, namespace: dev}\n"
        + (spec == null ? "" : "spec:\n" + spec.indent(2)));
  }

  public static List<String> onCreate(String spec) {
    Map<String, Object> p = platform(spec);
    List<String> errors = structural(p);
    errors.addAll(CelRules.violations(schema, p, null));
    return errors;
  }

  static List<String> onUpdate(String oldSpec, String newSpec) {
    Map<String, Object> p = platform(newSpec);
    List<String> errors = structural(p);
    errors.addAll(CelRules.violations(schema, p, platform(oldSpec)));
    return errors;
  }

  /** Types, enums, patterns and required fields of the spec, checked before the CEL rules. */
  static List<String> structural(Map<String, Object> p) {
    List<String> errors = new java.util.ArrayList<>();
    if (p.containsKey("spec")) {
      CrdSchema.validate(schema.getProperties().get("spec"), p.get("spec")).forEach(e -> errors.add(".spec" + e));
    }
    return errors;
  }

  static Stream<Path> samples() throws IOException {
    return SamplesMatchCrdTest.samples();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  @SuppressWarnings("unchecked")
  void everySampleAndGoldenInputPassesTheRules(Path sample) throws IOException {
    Map<String, Object> p = SamplesMatchCrdTest.YAML.readValue(Files.readString(sample), Map.class);
    assertThat(CelRules.violations(schema, p, null)).isEmpty();
    assertThat(CelRules.violations(schema, p, p)).as("unchanged on update").isEmpty();
  }

  @Test
  void aDatabaseIsRequiredAndExactlyOneKind() {
    assertThat(onCreate(null)).containsExactly("<root>: spec is required: at least spec.database");
    assertThat(onCreate("profile: cloud")).containsExactly(".spec.database: required");
    assertThat(onCreate("database: {}")).containsExactly(
        ".spec.database: set exactly one of secretRef (an existing database) and cloudNativePG (a cluster the operator creates)");
    assertThat(onCreate("database: {secretRef: {name: db}, cloudNativePG: {}}")).hasSize(1)
        .allMatch(e -> e.startsWith(".spec.database: set exactly one"));
    assertThat(onCreate("database: {secretRef: {name: db}}")).isEmpty();
    assertThat(onCreate("database: {cloudNativePG: {instances: 1}}")).isEmpty();
  }

  @Test
  void aBrokerTransportNeedsKafkaAndExactlyOneWayToReachIt() {
    String db = "database: {secretRef: {name: db}}\n";
    assertThat(onCreate(db + "events: {transport: kafka}")).containsExactly(
        ".spec.events: transport dapr and kafka need kafka (clusterRef or bootstrapServers)");
    assertThat(onCreate(db + "events: {transport: dapr}")).hasSize(1);
    assertThat(onCreate(db + "events: {transport: inprocess}")).isEmpty();
    assertThat(onCreate(db + "events: {transport: kafka, kafka: {partitions: 3}}")).containsExactly(
        ".spec.events.kafka: set exactly one of clusterRef (a Strimzi Kafka) and bootstrapServers");
    assertThat(onCreate(db + "events: {transport: kafka, kafka: {clusterRef: {name: k}, bootstrapServers: 'b:9092'}}"))
        .containsExactly(".spec.events.kafka: set exactly one of clusterRef (a Strimzi Kafka) and bootstrapServers");
    assertThat(onCreate(db + "events: {transport: kafka, kafka: {bootstrapServers: 'b-1.example.com:9096,b-2.example.com:9096'}}")).isEmpty();
  }

  @Test
  void autoscalingBoundsMustNotBeInverted() {
    String db = "database: {secretRef: {name: db}}\n";
    assertThat(onCreate(db + "api: {autoscaling: {minReplicas: 5, maxReplicas: 2}}"))
        .containsExactly(".spec.api.autoscaling: maxReplicas must not be below minReplicas");
    assertThat(onCreate(db + "workers: {autoscaling: {minReplicas: 5, maxReplicas: 2}}"))
        .containsExactly(".spec.workers.autoscaling: maxReplicas must not be below minReplicas");
    assertThat(onCreate(db + "api: {autoscaling: {minReplicas: 2, maxReplicas: 2}}")).isEmpty();
    assertThat(onCreate(db + "api: {autoscaling: {maxReplicas: 2}}")).isEmpty();
  }

  @Test
  void enumsAndPatternsRejectTyposBeforeTheyReachAPod() {
    String db = "database: {secretRef: {name: db}}\n";
    assertThat(onCreate(db + "image: {pullPolicy: always}")).anyMatch(e -> e.startsWith(".spec.image.pullPolicy: must be one of"));
    assertThat(onCreate(db + "image: {pullPolicy: IfNotPresent}")).isEmpty();
    assertThat(onCreate(db + "image: {digest: 'sha256:abc'}")).anyMatch(e -> e.startsWith(".spec.image.digest: must match"));
    assertThat(onCreate(db + "image: {digest: 'sha256:" + "a1".repeat(32) + "'}")).isEmpty();
    assertThat(onCreate("database: {cloudNativePG: {storageSize: 10GB}}"))
        .anyMatch(e -> e.startsWith(".spec.database.cloudNativePG.storageSize: must match"));
    assertThat(onCreate("database: {cloudNativePG: {storageSize: 10Gi, deletionPolicy: Delete}}")).isEmpty();
    assertThat(onCreate(db + "events: {transport: kafka, kafka: {bootstrapServers: 'b:9092', topicPrefix: 'a/b'}}"))
        .anyMatch(e -> e.startsWith(".spec.events.kafka.topicPrefix: must match"));
  }

  @Test
  void topicPrefixCannotChangeOnceThePlatformExists() {
    String base = "database: {secretRef: {name: db}}\nevents:\n  transport: kafka\n  kafka:\n    clusterRef: {name: k}\n";
    String msg = ".spec.events.kafka: topicPrefix is immutable: changing it would leave the platform's events in the old topics";
    assertThat(onUpdate(base + "    topicPrefix: a.", base + "    topicPrefix: b.")).containsExactly(msg);
    assertThat(onUpdate(base + "    topicPrefix: a.", base)).containsExactly(msg);
    assertThat(onUpdate(base, base + "    topicPrefix: a.")).as("the default prefix is in use").containsExactly(msg);
    assertThat(onUpdate(base + "    topicPrefix: a.", base + "    topicPrefix: a.\n    partitions: 3")).isEmpty();
    assertThat(onCreate(base + "    topicPrefix: b.")).as("any prefix on create").isEmpty();
  }

  @Test
  void theKafkaNamespaceCannotChangeOnceThePlatformExists() {
    String base = "database: {secretRef: {name: db}}\nevents:\n  transport: dapr\n  kafka:\n";
    String msg = ".spec.events.kafka.clusterRef: clusterRef.namespace is immutable: the platform's KafkaTopics live in that namespace";
    assertThat(onUpdate(base + "    clusterRef: {name: k, namespace: kafka}", base + "    clusterRef: {name: k, namespace: other}"))
        .containsExactly(msg);
    assertThat(onUpdate(base + "    clusterRef: {name: k}", base + "    clusterRef: {name: k, namespace: kafka}"))
        .containsExactly(msg);
    assertThat(onUpdate(base + "    clusterRef: {name: k, namespace: kafka}", base + "    clusterRef: {name: k, namespace: kafka}\n    partitions: 2"))
        .isEmpty();
  }

  @Test
  void kafkaAuthenticationFitsTheWayKafkaIsReached() {
    String base = "database: {secretRef: {name: db}}\nevents:\n  transport: kafka\n  kafka:\n";
    String msg = ".spec.events.kafka: authentication: with clusterRef the operator creates a KafkaUser (scram-sha-512 or tls;"
        + " no secretRef or caKey); with bootstrapServers set secretRef (no listenerPort)";
    assertThat(onCreate(base + "    clusterRef: {name: k}\n    authentication: {type: scram-sha-512}")).isEmpty();
    assertThat(onCreate(base + "    clusterRef: {name: k}\n    authentication: {type: tls, listenerPort: 9094}")).isEmpty();
    assertThat(onCreate(base + "    clusterRef: {name: k}\n    authentication: {type: plain}")).containsExactly(msg);
    assertThat(onCreate(base + "    clusterRef: {name: k}\n    authentication: {type: tls, secretRef: {name: s}}")).containsExactly(msg);
    assertThat(onCreate(base + "    bootstrapServers: 'b:9092'\n    authentication: {type: plain, secretRef: {name: s}, caKey: ca.crt}")).isEmpty();
    assertThat(onCreate(base + "    bootstrapServers: 'b:9092'\n    authentication: {type: scram-sha-512}")).containsExactly(msg);
    assertThat(onCreate(base + "    bootstrapServers: 'b:9092'\n    authentication: {type: kerberos, secretRef: {name: s}}"))
        .anyMatch(e -> e.startsWith(".spec.events.kafka.authentication.type: must be one of"));
  }

  @Test
  void everyRuleInTheCrdIsCoveredHere() {
    assertThat(CelRules.allRules(schema)).hasSize(9);
  }
}
