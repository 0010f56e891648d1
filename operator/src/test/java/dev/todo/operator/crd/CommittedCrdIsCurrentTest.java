package dev.todo.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRD in crds/ (and its copy in the OLM bundle) is what users install: it must be exactly what
 * the Java model generates. Run with -Dcrds.update=true to refresh the committed copies.
 */
class CommittedCrdIsCurrentTest {
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8/todoplatforms.todo.dev-v1.yml");
  static final List<Path> COMMITTED = List.of(
      ROOT.resolve("crds/todoplatforms.todo.dev-v1.yml"),
      ROOT.resolve("olm/bundle/manifests/todoplatforms.todo.dev.crd.yaml"),
      ROOT.resolve("helm/todo-operator/crds/todoplatforms.todo.dev-v1.yml"));

  @Test
  void committedCrdsMatchTheModel() throws IOException {
    String expected = PublishedCrd.publish(Files.readString(GENERATED));
    for (Path committed : COMMITTED) {
      if (Boolean.getBoolean("crds.update")) {
        Files.createDirectories(committed.getParent());
        Files.writeString(committed, expected);
      }
      assertThat(committed).as("%s is stale: run ./mvnw -pl operator verify -Dcrds.update=true", committed).exists();
      assertThat(Files.readString(committed))
          .as("%s is stale: run ./mvnw -pl operator verify -Dcrds.update=true", committed)
          .isEqualTo(expected);
    }
  }

  @Test
  void publishedCrdHasNoSchemaDefaultsAndOrderedColumns() throws IOException {
    String published = PublishedCrd.publish(Files.readString(GENERATED));
    assertThat(published).doesNotContain("default:").doesNotContain("priority:");
    assertThat(published.indexOf("name: \"Ready\"")).isLessThan(published.indexOf("name: \"Phase\""));
    assertThat(published.indexOf("name: \"URL\"")).isLessThan(published.indexOf("name: \"Age\""));
    assertThat(published).contains("subresources:").contains("status: {}");
  }
}
