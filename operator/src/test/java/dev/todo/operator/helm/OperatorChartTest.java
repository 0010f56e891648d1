package dev.todo.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart in helm/todo-operator lints cleanly and renders the operator the way the jar expects. */
class OperatorChartTest {
  static final Path CHART = Path.of(System.getProperty("repo.root", ".."), "helm/todo-operator");

  @Test
  void lintsStrictly() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void rendersOperatorWithLeaderElectionAndWatchedNamespaces() {
    String rendered = new Helm(CHART).template().withName("todo-operator").withNamespace("operators")
        .set("watchNamespaces[0]", "dev").set("watchNamespaces[1]", "prod").set("replicaCount", 2).call();
    List<HasMetadata> objects = Serialization.unmarshal(rendered);
    assertThat(objects).extracting(HasMetadata::getKind)
        .contains("ServiceAccount", "Role", "RoleBinding", "Deployment");
    Deployment d = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    var env = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("WATCH_NAMESPACES");
      assertThat(e.getValue()).isEqualTo("dev,prod");
    });
    assertThat(env).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("LEADER_ELECTION_NAMESPACE");
      assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    });
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/todo-dev/todo-operator:0.1.0");
  }
}
