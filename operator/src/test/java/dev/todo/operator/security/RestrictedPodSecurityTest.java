package dev.todo.operator.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pod template this project renders passes the restricted Pod Security level: the app's
 * Deployments in each golden output (plus read-only root and no token), the operator's Deployment
 * from the chart (both RBAC modes) and from the OLM bundle.
 */
class RestrictedPodSecurityTest {
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<Map<String, Object>> documents(String yaml) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> it = YAML.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(yaml)) {
      while (it.hasNext()) {
        Map<String, Object> doc = it.next();
        if (doc != null) out.add(doc);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> at(Map<String, Object> doc, String... path) {
    Object o = doc;
    for (String p : path) o = ((Map<String, Object>) o).get(p);
    return (Map<String, Object>) o;
  }

  static Stream<Path> goldenOutputs() throws IOException {
    try (var files = Files.list(Path.of("src/test/resources/golden"))) {
      return files.filter(p -> p.getFileName().toString().startsWith("out-")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenOutputs")
  void appPodsInEveryGoldenOutputAreRestricted(Path golden) throws IOException {
    List<Map<String, Object>> deployments = documents(Files.readString(golden)).stream()
        .filter(d -> "Deployment".equals(d.get("kind"))).toList();
    assertThat(deployments).hasSize(2);
    for (Map<String, Object> d : deployments) {
      Map<String, Object> pod = at(d, "spec", "template", "spec");
      assertThat(RestrictedPodSecurity.appPod(pod)).as("%s %s", golden.getFileName(), at(d, "metadata").get("name")).isEmpty();
    }
  }

  @Test
  void theOperatorPodFromTheChartIsRestrictedInBothRbacModes() throws IOException {
    Path chart = ROOT.resolve("helm/todo-operator");
    List<String> renders = List.of(
        new Helm(chart).template().withName("todo-operator").withNamespace("operators").call(),
        new Helm(chart).template().withName("todo-operator").withNamespace("operators")
            .set("watchNamespaces[0]", "dev").call());
    for (String rendered : renders) {
      List<Map<String, Object>> deployments = documents(rendered).stream()
          .filter(d -> "Deployment".equals(d.get("kind"))).toList();
      assertThat(deployments).hasSize(1);
      assertThat(RestrictedPodSecurity.restricted(at(deployments.get(0), "spec", "template", "spec"))).isEmpty();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOperatorPodFromTheBundleIsRestricted() throws IOException {
    Map<String, Object> csv = documents(Files.readString(
        ROOT.resolve("olm/bundle/manifests/todo-operator.clusterserviceversion.yaml"))).get(0);
    List<Map<String, Object>> deployments = (List<Map<String, Object>>) at(csv, "spec", "install", "spec").get("deployments");
    assertThat(deployments).isNotEmpty();
    for (Map<String, Object> d : deployments) {
      assertThat(RestrictedPodSecurity.restricted(at(d, "spec", "template", "spec"))).isEmpty();
    }
  }

  @Test
  void theCheckRefusesWhatAdmissionWould() throws IOException {
    Map<String, Object> bad = documents("""
        hostNetwork: true
        securityContext: {runAsUser: 0}
        volumes: [{name: host, hostPath: {path: /var/run}}]
        containers:
        - name: app
          ports: [{containerPort: 80, hostPort: 80}]
          securityContext:
            privileged: true
            capabilities: {add: [SYS_ADMIN]}
            seccompProfile: {type: Unconfined}
        """).get(0);
    assertThat(RestrictedPodSecurity.appPod(bad)).contains(
        "hostNetwork must not be true",
        "volume host: type hostPath is not allowed",
        "pod runAsUser must not be 0",
        "container app: privileged",
        "container app: allowPrivilegeEscalation must be false",
        "container app: capabilities must drop ALL",
        "container app: capability SYS_ADMIN must not be added",
        "container app: runAsNonRoot must be true (pod or container)",
        "container app: seccompProfile must be RuntimeDefault or Localhost (pod or container)",
        "container app: hostPort 80",
        "automountServiceAccountToken must be false",
        "container app: readOnlyRootFilesystem must be true");
  }
}
