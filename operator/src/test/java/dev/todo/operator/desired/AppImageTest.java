package dev.todo.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todo.operator.model.ImageSpec;
import dev.todo.operator.model.TodoPlatform;
import dev.todo.operator.model.TodoPlatformSpec;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The app image a platform runs by default: this release's, or RELATED_IMAGE_APP; never latest. */
class AppImageTest {
  @AfterEach
  void restore() { AppImage.useDefault(AppImage.fromEnvironment(Map.of())); }

  @Test
  void withoutTheVariableTheDefaultIsTheAppImageOfThisBuild() {
    AppImage release = AppImage.fromEnvironment(Map.of());
    assertThat(release.reference())
        .isEqualTo(System.getProperty("app.image.repository") + ":" + System.getProperty("project.version"));
    assertThat(release.tag()).isNotBlank().isNotEqualTo("latest");
  }

  @Test
  void theVariableOverridesTheBuildDefault() {
    assertThat(AppImage.fromEnvironment(Map.of(AppImage.ENV, "mirror.local/todo-app:1.4.0")))
        .isEqualTo(new AppImage("mirror.local/todo-app", "1.4.0", null));
    assertThat(AppImage.fromEnvironment(Map.of(AppImage.ENV, " "))).isEqualTo(AppImage.release());
  }

  @Test
  void parsesTagsDigestsAndRegistryPorts() {
    assertThat(AppImage.parse("localhost:5000/todo-app:1.0.0")).isEqualTo(new AppImage("localhost:5000/todo-app", "1.0.0", null));
    assertThat(AppImage.parse("ghcr.io/todo-dev/todo-app@sha256:abc")).isEqualTo(new AppImage("ghcr.io/todo-dev/todo-app", null, "sha256:abc"));
    assertThat(AppImage.parse("ghcr.io/todo-dev/todo-app:1.0.0@sha256:abc").reference()).isEqualTo("ghcr.io/todo-dev/todo-app:1.0.0@sha256:abc");
    assertThatThrownBy(() -> AppImage.parse("localhost:5000/todo-app")).hasMessageContaining("RELATED_IMAGE_APP must be an image reference with a tag or digest");
    assertThatThrownBy(() -> AppImage.parse("todo-app:")).isInstanceOf(IllegalArgumentException.class);
  }

  static String image(String repository, String tag, String digest) {
    TodoPlatform p = new TodoPlatform();
    p.setSpec(new TodoPlatformSpec());
    if (repository != null || tag != null || digest != null) {
      ImageSpec i = new ImageSpec();
      i.setRepository(repository);
      i.setTag(tag);
      i.setDigest(digest);
      p.getSpec().setImage(i);
    }
    return Defaults.of(p).image();
  }

  @Test
  void aSpecNamingPartOfTheImageIsCompletedFromTheDefault() {
    AppImage.useDefault(AppImage.parse("ghcr.io/todo-dev/todo-app:2.0.0"));
    assertThat(image(null, null, null)).isEqualTo("ghcr.io/todo-dev/todo-app:2.0.0");
    assertThat(image("mirror.local/todo-app", null, null)).isEqualTo("mirror.local/todo-app:2.0.0");
    assertThat(image(null, "2.0.1", null)).isEqualTo("ghcr.io/todo-dev/todo-app:2.0.1");
    assertThat(image(null, "2.0.1", "sha256:abc")).isEqualTo("ghcr.io/todo-dev/todo-app@sha256:abc");
    assertThat(image("todo-app", "dev", null)).isEqualTo("todo-app:dev");

    AppImage.useDefault(AppImage.parse("ghcr.io/todo-dev/todo-app@sha256:def"));
    assertThat(image("mirror.local/todo-app", null, null)).isEqualTo("mirror.local/todo-app@sha256:def");
  }
}
