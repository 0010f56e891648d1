package dev.todo.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example Applications in config/argocd: sync order, and that what they point at exists. */
class ArgoCdApplicationsTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
  static final Path APPS = ROOT.resolve("config/argocd/apps");

  static JsonNode read(Path p) throws IOException { return YAML.readTree(p.toFile()); }

  static int wave(JsonNode app) {
    JsonNode w = app.path("metadata").path("annotations").path("argocd.argoproj.io/sync-wave");
    return w.isMissingNode() ? 0 : Integer.parseInt(w.asText());
  }

  @Test
  void operatorIsSyncedBeforeThePlatform() throws IOException {
    JsonNode operator = read(APPS.resolve("todo-operator.yaml"));
    JsonNode platform = read(APPS.resolve("todo-platform.yaml"));
    assertThat(wave(operator)).isLessThan(wave(platform));
    assertThat(operator.path("spec").path("syncPolicy").path("syncOptions").toString()).contains("ServerSideApply=true");
  }

  @Test
  void deletingThePlatformApplicationDeletesThePlatformFirst() throws IOException {
    JsonNode platform = read(APPS.resolve("todo-platform.yaml"));
    assertThat(platform.path("metadata").path("finalizers").toString()).contains("resources-finalizer.argocd.argoproj.io");
    assertThat(Files.readString(APPS.resolve("todo-operator.yaml"))).contains("must outlive every TodoPlatform");
  }

  @Test
  void sourcesPointAtFilesInThisRepository() throws IOException {
    JsonNode operator = read(APPS.resolve("todo-operator.yaml")).path("spec").path("source");
    assertThat(ROOT.resolve(operator.path("path").asText()).resolve("Chart.yaml")).exists();
    JsonNode platform = read(APPS.resolve("todo-platform.yaml")).path("spec").path("source");
    Path sample = ROOT.resolve(platform.path("path").asText()).resolve(platform.path("directory").path("include").asText());
    assertThat(sample).exists();
    assertThat(read(sample).path("kind").asText()).isEqualTo("TodoPlatform");
    JsonNode root = read(ROOT.resolve("config/argocd/root-application.yaml")).path("spec").path("source");
    assertThat(ROOT.resolve(root.path("path").asText())).isEqualTo(APPS);
    for (JsonNode app : List.of(read(APPS.resolve("todo-operator.yaml")), read(APPS.resolve("todo-platform.yaml")))) {
      assertThat(app.path("kind").asText()).isEqualTo("Application");
      assertThat(app.path("spec").path("source").path("repoURL").asText()).isEqualTo(root.path("repoURL").asText());
    }
  }
}
