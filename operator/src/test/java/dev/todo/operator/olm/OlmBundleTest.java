package dev.todo.operator.olm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The OLM bundle's CSV names the CRD the bundle ships and grants what the Helm chart grants. */
class OlmBundleTest {
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void csvOwnsTheBundledCrdAndExamplesParse() throws IOException {
    JsonNode csv = YAML.readTree(Files.readString(ROOT.resolve("olm/bundle/manifests/todo-operator.clusterserviceversion.yaml")));
    JsonNode crd = YAML.readTree(Files.readString(ROOT.resolve("olm/bundle/manifests/todoplatforms.todo.dev.crd.yaml")));
    JsonNode owned = csv.at("/spec/customresourcedefinitions/owned/0");
    assertThat(owned.get("name").asText()).isEqualTo(crd.at("/metadata/name").asText());
    assertThat(owned.get("kind").asText()).isEqualTo(crd.at("/spec/names/kind").asText());
    assertThat(owned.get("version").asText()).isEqualTo(crd.at("/spec/versions/0/name").asText());
    JsonNode examples = new ObjectMapper().readTree(csv.at("/metadata/annotations/alm-examples").asText());
    assertThat(examples.get(0).get("kind").asText()).isEqualTo("TodoPlatform");
    String chartRbac = Files.readString(ROOT.resolve("helm/todo-operator/templates/rbac.yaml"));
    csv.at("/spec/install/spec/clusterPermissions/0/rules").forEach(rule ->
        rule.get("resources").forEach(r -> assertThat(chartRbac).contains("\"" + r.asText() + "\"")));
  }
}
