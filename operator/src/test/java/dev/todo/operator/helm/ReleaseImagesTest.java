package dev.todo.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart and the OLM bundle point the operator at the app image of their own release. */
class ReleaseImagesTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));

  static Container operator(String rendered) {
    List<HasMetadata> objects = Serialization.unmarshal(rendered);
    return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow()
        .getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static String env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
  }

  static String tag(String image) { return image.substring(image.lastIndexOf(':') + 1); }

  @Test
  void chartSetsTheAppImageOfTheSameRelease() {
    Container c = operator(new Helm(ROOT.resolve("helm/todo-operator")).template().withName("todo-operator").call());
    String app = env(c, "RELATED_IMAGE_APP");
    assertThat(app).startsWith("ghcr.io/todo-dev/todo-app:");
    assertThat(tag(app)).isEqualTo(tag(c.getImage())).isNotEqualTo("latest");
  }

  @Test
  void chartTakesAMirrorOrADigest() {
    Container c = operator(new Helm(ROOT.resolve("helm/todo-operator")).template().withName("todo-operator")
        .set("appImage.repository", "mirror.local/todo-app").set("appImage.digest", DIGEST).call());
    assertThat(env(c, "RELATED_IMAGE_APP")).isEqualTo("mirror.local/todo-app@" + DIGEST);
  }

  @Test
  void olmBundleListsTheAppImageItDeploys() throws IOException {
    JsonNode csv = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(
        ROOT.resolve("olm/bundle/manifests/todo-operator.clusterserviceversion.yaml")));
    JsonNode container = csv.at("/spec/install/spec/deployments/0/spec/template/spec/containers/0");
    String app = null;
    for (JsonNode e : container.get("env")) {
      if (e.get("name").asText().equals("RELATED_IMAGE_APP")) app = e.get("value").asText();
    }
    assertThat(app).isNotNull();
    assertThat(tag(app)).isEqualTo(tag(container.get("image").asText())).isEqualTo(csv.at("/spec/version").asText());
    assertThat(csv.at("/spec/relatedImages").findValuesAsText("image")).contains(app, container.get("image").asText());
  }
}
