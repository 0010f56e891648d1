package dev.todo.operator.olm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OLM bundle: the CSV owns the bundled CRD, grants what the chart's namespaced mode grants, and
 * per install mode never makes Secrets readable beyond the namespaces the operator watches.
 */
class OlmBundleTest {
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static JsonNode csv;

  @BeforeAll
  static void load() throws IOException {
    csv = YAML.readTree(Files.readString(ROOT.resolve("olm/bundle/manifests/todo-operator.clusterserviceversion.yaml")));
  }

  /** group/resource:verb, one per permission, for comparing rule lists written differently. */
  static Set<String> grants(JsonNode rules) {
    Set<String> out = new TreeSet<>();
    rules.forEach(r -> r.get("apiGroups").forEach(g -> r.get("resources").forEach(res -> r.get("verbs")
        .forEach(v -> out.add(g.asText() + "/" + res.asText() + ":" + v.asText())))));
    return out;
  }

  static Set<String> grants(List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules) {
    return grants(Serialization.jsonMapper().valueToTree(rules));
  }

  @Test
  void csvOwnsTheBundledCrdAndExamplesParse() throws IOException {
    JsonNode crd = YAML.readTree(Files.readString(ROOT.resolve("olm/bundle/manifests/todoplatforms.todo.dev.crd.yaml")));
    JsonNode owned = csv.at("/spec/customresourcedefinitions/owned/0");
    assertThat(owned.get("name").asText()).isEqualTo(crd.at("/metadata/name").asText());
    assertThat(owned.get("kind").asText()).isEqualTo(crd.at("/spec/names/kind").asText());
    assertThat(owned.get("version").asText()).isEqualTo(crd.at("/spec/versions/0/name").asText());
    JsonNode examples = new ObjectMapper().readTree(csv.at("/metadata/annotations/alm-examples").asText());
    assertThat(examples.get(0).get("kind").asText()).isEqualTo("TodoPlatform");
    JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties");
    owned.get("specDescriptors").forEach(d -> assertThat(schemaHas(schema.get("spec"), d.get("path").asText()))
        .as("spec." + d.get("path").asText()).isTrue());
    owned.get("statusDescriptors").forEach(d -> assertThat(schemaHas(schema.get("status"), d.get("path").asText()))
        .as("status." + d.get("path").asText()).isTrue());
  }

  static boolean schemaHas(JsonNode schema, String path) {
    JsonNode node = schema;
    for (String part : path.split("\\.")) {
      node = node.at("/properties/" + part);
      if (node.isMissingNode()) return false;
    }
    return true;
  }

  @Test
  void csvDescribesItselfForTheCatalog() {
    JsonNode spec = csv.get("spec");
    assertThat(spec.get("minKubeVersion").asText()).as("CEL validation rules need 1.25").isEqualTo("1.25.0");
    assertThat(spec.at("/icon/0/mediatype").asText()).isEqualTo("image/svg+xml");
    assertThat(new String(java.util.Base64.getDecoder().decode(spec.at("/icon/0/base64data").asText()))).startsWith("<svg");
    assertThat(spec.at("/maintainers/0/email").asText()).contains("@");
    Set<String> related = new HashSet<>();
    spec.get("relatedImages").forEach(i -> related.add(i.get("image").asText()));
    spec.at("/install/spec/deployments").forEach(d -> d.at("/spec/template/spec/containers")
        .forEach(c -> assertThat(related).contains(c.get("image").asText())));
    assertThat(related).anyMatch(i -> i.contains("todo-app"));
  }

  @Test
  void namespacedRulesMatchTheChartsRolesAndOnlyKafkaTopicsAreClusterWide() {
    List<HasMetadata> chart = Serialization.unmarshal(new Helm(ROOT.resolve("helm/todo-operator")).template()
        .withName("todo-operator").withNamespace("operators").set("watchNamespaces[0]", "dev")
        .set("kafkaNamespaces[0]", "kafka").call());
    Map<String, Role> roles = new HashMap<>();
    chart.stream().filter(Role.class::isInstance).map(Role.class::cast).forEach(r -> roles.put(r.getMetadata().getNamespace(), r));
    Set<String> chartWatched = grants(roles.get("dev").getRules());
    Set<String> chartKafka = grants(roles.get("kafka").getRules());
    chartWatched.addAll(grants(roles.get("operators").getRules()));

    Set<String> namespaced = grants(csv.at("/spec/install/spec/permissions/0/rules"));
    Set<String> cluster = grants(csv.at("/spec/install/spec/clusterPermissions/0/rules"));
    Set<String> both = new TreeSet<>(namespaced);
    both.addAll(cluster);
    assertThat(both).isEqualTo(chartWatched);
    assertThat(namespaced).as("Secrets fully where the operator watches").contains("/secrets:get", "/secrets:watch");
    chartKafka.removeIf(g -> g.startsWith("/secrets:"));
    assertThat(cluster).as("the chart's Kafka-namespace rules but Secrets").isEqualTo(chartKafka);
    assertThat(cluster).noneMatch(g -> g.startsWith("/secrets") || g.startsWith("apps/"));
  }

  /**
   * What OLM makes of the CSV per install mode: permissions become Roles in each target namespace
   * (a ClusterRole with AllNamespaces), clusterPermissions a ClusterRole. The operator watches the
   * target namespaces (olm.targetNamespaces → WATCH_NAMESPACES).
   */
  @ParameterizedTest
  @ValueSource(strings = {"OwnNamespace", "SingleNamespace", "MultiNamespace", "AllNamespaces"})
  void perInstallModeSecretsAreReadableOnlyWhereTheOperatorWatches(String mode) {
    JsonNode installMode = null;
    for (JsonNode m : csv.at("/spec/installModes")) if (m.get("type").asText().equals(mode)) installMode = m;
    assertThat(installMode).isNotNull();
    assertThat(installMode.get("supported").asBoolean()).isTrue();
    List<String> targets = switch (mode) {
      case "OwnNamespace" -> List.of("operators");
      case "SingleNamespace" -> List.of("dev");
      case "MultiNamespace" -> List.of("dev", "prod");
      default -> List.of("*");
    };
    Map<String, Set<String>> granted = new HashMap<>();
    for (String ns : targets) granted.put(ns, grants(csv.at("/spec/install/spec/permissions/0/rules")));
    granted.computeIfAbsent("*", k -> new TreeSet<>()).addAll(grants(csv.at("/spec/install/spec/clusterPermissions/0/rules")));

    Set<String> needed = grants(csv.at("/spec/install/spec/permissions/0/rules"));
    for (String ns : targets) {
      Set<String> there = new TreeSet<>(granted.get(ns));
      there.addAll(granted.get("*"));
      assertThat(there).as("everything the operator does in " + ns).containsAll(needed);
    }
    boolean clusterWideSecrets = granted.get("*").stream().anyMatch(g -> g.startsWith("/secrets:"));
    assertThat(clusterWideSecrets).as("Secrets cluster-wide in " + mode).isEqualTo(mode.equals("AllNamespaces"));
  }
}
