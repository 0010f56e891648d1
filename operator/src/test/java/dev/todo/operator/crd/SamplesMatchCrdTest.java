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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The samples in config/samples and the golden-file inputs are valid against the published CRD. */
class SamplesMatchCrdTest {
  static final com.fasterxml.jackson.databind.ObjectMapper YAML =
      new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));

  static JSONSchemaProps schema() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(
        Files.readString(ROOT.resolve("crds/todoplatforms.todo.dev-v1.yml")), CustomResourceDefinition.class);
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  public static Stream<Path> samples() throws IOException {
    try (var a = Files.list(ROOT.resolve("config/samples")); var b = Files.list(Path.of("src/test/resources/golden"))) {
      return Stream.concat(a.toList().stream(), b.filter(p -> p.getFileName().toString().startsWith("in-")).toList().stream());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  @SuppressWarnings("unchecked")
  void sampleIsValid(Path sample) throws IOException {
    Map<String, Object> doc = YAML.readValue(Files.readString(sample), Map.class);
    assertThat(doc).containsEntry("apiVersion", "todo.dev/v1alpha1").containsEntry("kind", "TodoPlatform");
    assertThat(CrdSchema.validate(schema().getProperties().get("spec"), doc.get("spec"))).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theCheckRejectsWhatTheApiServerWould() throws IOException {
    Map<String, Object> bad = YAML.readValue("""
        profile: staging
        replicas: 3
        ingress: {className: nginx}
        events: {kafka: {partitions: 0}}
        """, Map.class);
    List<String> errors = CrdSchema.validate(schema().getProperties().get("spec"), bad);
    assertThat(errors).anyMatch(e -> e.startsWith(".profile: must be one of"))
        .contains(".replicas: unknown field", ".ingress.host: required")
        .anyMatch(e -> e.startsWith(".events.kafka.partitions: below minimum"));
  }
}
