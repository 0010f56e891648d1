package dev.todo.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: a TodoPlatform goes in (in-NAME.yaml), the exact children come out (out-NAME.yaml).
 * Run with -Dgolden.update=true to rewrite the out files after an intended change, then review the diff.
 */
class DesiredStateGoldenTest {
  static final Path DIR = Path.of("src/test/resources/golden");
  static final Optional<String> FIXED_JWT = Optional.of(Base64.getEncoder().encodeToString(
      "0123456789abcdef0123456789abcdef-fixture".getBytes()));
  static final Optional<String> FIXED_APP_TOKEN = Optional.of(Base64.getEncoder().encodeToString(
      "dapr-app-token-fixture".getBytes()));

  /** A fixed default app image, so the files do not change with the project's version. */
  @BeforeAll
  static void pinDefaultImage() { AppImage.useDefault(AppImage.parse("ghcr.io/todo-dev/todo-app:1.0.0")); }

  @AfterAll
  static void restoreDefaultImage() { AppImage.useDefault(AppImage.fromEnvironment(Map.of())); }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("minikube-inprocess", OptionalApis.NONE),
        Arguments.of("minikube-assistant", OptionalApis.NONE),
        Arguments.of("minikube-kafka", new OptionalApis(false, true, false, false, false)),
        Arguments.of("minikube-dapr", new OptionalApis(true, true, false, false, false)),
        Arguments.of("cloud-kafka", OptionalApis.ALL),
        Arguments.of("cloud-dapr", OptionalApis.ALL),
        Arguments.of("cloud-dapr-without-keda", new OptionalApis(true, true, false, true, false)),
        Arguments.of("cloud-kafka-scram", OptionalApis.ALL),
        Arguments.of("cloud-dapr-mtls", OptionalApis.ALL),
        Arguments.of("cloud-kafka-managed", OptionalApis.ALL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void childrenMatchGoldenFile(String name, OptionalApis apis) throws IOException {
    TodoPlatform platform = Serialization.unmarshal(Files.readString(DIR.resolve("in-" + name + ".yaml")), TodoPlatform.class);
    List<HasMetadata> children = Children.desired(platform, apis, FIXED_JWT, FIXED_APP_TOKEN);
    String actual = children.stream().map(Serialization::asYaml).collect(Collectors.joining());
    Path out = DIR.resolve("out-" + name + ".yaml");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(out, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(out));
    for (HasMetadata child : children) {
      assertThat(child.getMetadata().getLabels()).as(child.getKind() + " labels")
          .containsEntry("app.kubernetes.io/managed-by", "todo-operator")
          .allSatisfy((k, v) -> assertThat(k).doesNotStartWith("argocd.argoproj.io"));
      if (child.getKind().equals("Ingress")) {
        assertThat(child.getMetadata().getAnnotations()).as("only the live stream's proxy settings")
            .isEqualTo(ApiIngress.annotations());
      } else {
        assertThat(child.getMetadata().getAnnotations()).as(child.getKind() + " annotations").isNullOrEmpty();
      }
    }
  }
}
