package dev.todo.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The chart's two RBAC modes, rendered with helm-java: cluster-wide without watchNamespaces; with
 * them, a Role per watched namespace, a KafkaTopics-only Role per Kafka namespace, and nothing
 * cluster-wide. The values schema refuses unknown keys.
 */
class ChartRbacModesTest {
  static final Path CHART = Path.of(System.getProperty("repo.root", ".."), "helm/todo-operator");

  static List<HasMetadata> render(UnaryOperator<TemplateCommand> values) {
    return Serialization.unmarshal(values.apply(new Helm(CHART).template().withName("todo-operator").withNamespace("operators")).call());
  }

  static boolean grantsSecrets(List<PolicyRule> rules) {
    return rules.stream().anyMatch(r -> r.getResources().contains("secrets"));
  }

  @Test
  void withoutWatchNamespacesOneClusterRoleCoversEveryNamespace() {
    List<HasMetadata> objects = render(t -> t);
    ClusterRole role = objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst().orElseThrow();
    assertThat(role.getRules()).anySatisfy(r -> assertThat(r.getResources()).contains("kafkatopics"));
    assertThat(grantsSecrets(role.getRules())).isTrue();
    assertThat(objects).extracting(HasMetadata::getKind).contains("ClusterRoleBinding");
    assertThat(objects).filteredOn(Role.class::isInstance).extracting(o -> o.getMetadata().getName())
        .containsExactly("todo-operator-leader-election");
  }

  @Test
  void withWatchNamespacesEachGetsARoleAndNothingIsClusterWide() {
    List<HasMetadata> objects = render(t -> t.set("watchNamespaces[0]", "dev").set("watchNamespaces[1]", "prod")
        .set("kafkaNamespaces[0]", "kafka").set("kafkaNamespaces[1]", "prod"));
    assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("ClusterRole", "ClusterRoleBinding");
    List<Role> roles = objects.stream().filter(Role.class::isInstance).map(Role.class::cast).toList();
    assertThat(roles).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactlyInAnyOrder("dev/todo-operator", "prod/todo-operator", "kafka/todo-operator-kafka",
            "operators/todo-operator-leader-election");
    Role kafka = roles.stream().filter(r -> r.getMetadata().getNamespace().equals("kafka")).findFirst().orElseThrow();
    assertThat(kafka.getRules()).flatExtracting(PolicyRule::getResources)
        .containsExactlyInAnyOrder("kafkatopics", "kafkas", "kafkausers", "secrets");
    assertThat(kafka.getRules()).filteredOn(r -> r.getResources().contains("secrets"))
        .as("Secrets in the Kafka namespace by name only").singleElement()
        .satisfies(r -> assertThat(r.getVerbs()).containsExactly("get"));
    assertThat(kafka.getRules()).noneMatch(r -> r.getApiGroups().contains("apps"));
    Role dev = roles.stream().filter(r -> r.getMetadata().getNamespace().equals("dev")).findFirst().orElseThrow();
    assertThat(dev.getRules()).anySatisfy(r -> assertThat(r.getResources()).containsExactly("secrets"));
    List<RoleBinding> bindings = objects.stream().filter(RoleBinding.class::isInstance).map(RoleBinding.class::cast).toList();
    assertThat(bindings).hasSize(4).allSatisfy(b -> {
      assertThat(b.getRoleRef().getName()).isEqualTo(roles.stream()
          .filter(r -> r.getMetadata().getNamespace().equals(b.getMetadata().getNamespace())).findFirst().orElseThrow().getMetadata().getName());
      assertThat(b.getSubjects()).singleElement().satisfies(s -> {
        assertThat(s.getName()).isEqualTo("todo-operator");
        assertThat(s.getNamespace()).isEqualTo("operators");
      });
    });
  }

  @Test
  void unknownOrMistypedValuesAreRefused() {
    assertThatThrownBy(() -> render(t -> t.set("watchNamespace[0]", "dev"))).hasMessageContaining("watchNamespace");
    assertThatThrownBy(() -> render(t -> t.set("image.pullPolicy", "always"))).hasMessageContaining("pullPolicy");
    assertThatThrownBy(() -> render(t -> t.set("watchNamespaces[0]", "Dev_1"))).hasMessageContaining("watchNamespaces");
  }

  /** helm template skips NOTES.txt and install needs a cluster: render it as an ordinary template of a copy. */
  @Test
  void notesSayWhatIsWatchedAndWhatDeletionKeeps(@org.junit.jupiter.api.io.TempDir Path tmp) throws java.io.IOException {
    Path copy = tmp.resolve("todo-operator");
    try (var files = java.nio.file.Files.walk(CHART)) {
      for (Path f : files.toList()) {
        Path target = copy.resolve(CHART.relativize(f).toString());
        if (java.nio.file.Files.isDirectory(f)) java.nio.file.Files.createDirectories(target);
        else java.nio.file.Files.copy(f, target);
      }
    }
    java.nio.file.Files.move(copy.resolve("templates/NOTES.txt"), copy.resolve("notes.txt"));
    java.nio.file.Files.writeString(copy.resolve("templates/notes.yaml"),
        "notes: |\n{{ tpl (.Files.Get \"notes.txt\") . | indent 2 }}\n");
    String notes = new Helm(copy).template().withName("todo-operator").withNamespace("operators")
        .set("watchNamespaces[0]", "dev").call();
    assertThat(notes).contains("It watches TodoPlatforms in: dev (a Role in each; no cluster-wide rights).")
        .contains("need it in kafkaNamespaces")
        .contains("kubectl -n operators rollout status deployment/todo-operator")
        .contains("keeps its KafkaTopics and CloudNativePG cluster");
  }
}
