package dev.todo.operator.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who owns what, on the Fabric8 mock API server (CRUD mode, server-side apply path): every child
 * in the platform's namespace names the platform as its controller; the children that hold data
 * (KafkaTopics, the CloudNativePG cluster) have no owner reference and survive the platform's
 * deletion unless its spec says Delete.
 */
class OwnershipAndRetentionOnMockServerTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String CNPG = "postgresql.cnpg.io/v1";
  MockCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) cluster.close();
  }

  static final String PLATFORM = """
      apiVersion: todo.dev/v1alpha1
      kind: TodoPlatform
      metadata: {name: %s, namespace: dev}
      spec:
        profile: cloud
        database:
          cloudNativePG: {instances: 1%s}
        events:
          transport: kafka
          kafka:
            clusterRef: {name: events, namespace: kafka}%s
        ingress: {host: todo.example.com}
      """;

  KubernetesClient start() {
    cluster = new MockCluster().withStrimzi().install("postgresql.cnpg.io", "v1", "Cluster", "clusters");
    KubernetesClient c = cluster.client();
    c.resource(new GenericKubernetesResourceBuilder().withApiVersion("kafka.strimzi.io/v1").withKind("Kafka")
        .withNewMetadata().withName("events").withNamespace("kafka").endMetadata().build()).create();
    cluster.startOperator();
    return c;
  }

  List<HasMetadata> childrenIn(KubernetesClient c, String platform) {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(c.configMaps().inNamespace("dev").list().getItems());
    all.addAll(c.secrets().inNamespace("dev").list().getItems());
    all.addAll(c.services().inNamespace("dev").list().getItems());
    all.addAll(c.apps().deployments().inNamespace("dev").list().getItems());
    all.addAll(c.network().v1().ingresses().inNamespace("dev").list().getItems());
    all.addAll(c.policy().v1().podDisruptionBudget().inNamespace("dev").list().getItems());
    return all.stream().filter(o -> o.getMetadata().getName().startsWith(platform + "-")
        || o.getMetadata().getName().equals(platform)).toList();
  }

  @Test
  void childrenNameThePlatformAsControllerAndDataOutlivesItByDefault() {
    KubernetesClient c = start();
    c.resource(Serialization.unmarshal(PLATFORM.formatted("todo", "", ""), TodoPlatform.class)).create();

    Await.until(WAIT, () -> {
      TodoPlatform p = cluster.platform("dev", "todo");
      List<HasMetadata> children = childrenIn(c, "todo");
      assertThat(children).extracting(HasMetadata::getKind)
          .contains("ConfigMap", "Secret", "Service", "Deployment", "Ingress", "PodDisruptionBudget");
      for (HasMetadata child : children) {
        assertThat(child.getMetadata().getOwnerReferences()).as(child.getKind() + " " + child.getMetadata().getName())
            .singleElement().satisfies(o -> {
              assertThat(o.getKind()).isEqualTo("TodoPlatform");
              assertThat(o.getName()).isEqualTo("todo");
              assertThat(o.getUid()).isEqualTo(p.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
              assertThat(o.getBlockOwnerDeletion()).isTrue();
            });
      }
      var db = c.genericKubernetesResources(CNPG, "Cluster").inNamespace("dev").withName("todo-db").get();
      assertThat(db).isNotNull();
      assertThat(db.getMetadata().getOwnerReferences()).isNullOrEmpty();
      List<KafkaTopic> topics = c.resources(KafkaTopic.class).inNamespace("kafka").list().getItems();
      assertThat(topics).hasSize(6).allSatisfy(t -> {
        assertThat(t.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(t.getSpec().getTopicName()).as("default prefix").startsWith("dev.todo.");
      });
    });

    c.resources(TodoPlatform.class).inNamespace("dev").withName("todo").delete();
    Await.until(WAIT, () -> assertThat(cluster.platform("dev", "todo")).isNull());
    // The finalizer has run: nothing it would delete is left to delete later.
    assertThat(c.genericKubernetesResources(CNPG, "Cluster").inNamespace("dev").withName("todo-db").get()).isNotNull();
    assertThat(c.resources(KafkaTopic.class).inNamespace("kafka").list().getItems()).hasSize(6);
  }

  @Test
  void deletionPolicyDeleteRemovesTheDatabaseAndTopicsWithThePlatform() {
    KubernetesClient c = start();
    c.resource(Serialization.unmarshal(PLATFORM.formatted("gone", ", deletionPolicy: Delete",
        "\n      topicDeletionPolicy: Delete"), TodoPlatform.class)).create();
    c.resource(Serialization.unmarshal(PLATFORM.formatted("kept", "", ""), TodoPlatform.class)).create();
    Await.until(WAIT, () -> {
      assertThat(c.genericKubernetesResources(CNPG, "Cluster").inNamespace("dev").list().getItems()).hasSize(2);
      assertThat(c.resources(KafkaTopic.class).inNamespace("kafka").list().getItems()).hasSize(12);
    });

    c.resources(TodoPlatform.class).inNamespace("dev").withName("gone").delete();
    Await.until(WAIT, () -> {
      assertThat(cluster.platform("dev", "gone")).isNull();
      assertThat(c.genericKubernetesResources(CNPG, "Cluster").inNamespace("dev").list().getItems())
          .extracting(x -> x.getMetadata().getName()).containsExactly("kept-db");
      assertThat(c.resources(KafkaTopic.class).inNamespace("kafka").list().getItems())
          .extracting(t -> t.getMetadata().getName()).hasSize(6).allMatch(n -> n.startsWith("dev.kept."));
    });
  }

  @Test
  void removingCloudNativePGFromTheSpecKeepsTheCluster() {
    KubernetesClient c = start();
    c.resource(new SecretBuilder().withNewMetadata().withName("external-db").withNamespace("dev").endMetadata()
        .withStringData(Map.of("url", "jdbc:postgresql://db:5432/todo", "username", "todo", "password", "pw")).build()).create();
    c.resource(Serialization.unmarshal(PLATFORM.formatted("todo", "", ""), TodoPlatform.class)).create();
    Await.until(WAIT, () -> assertThat(c.genericKubernetesResources(CNPG, "Cluster").inNamespace("dev").withName("todo-db").get()).isNotNull());

    Await.retryOnConflict(() -> c.resources(TodoPlatform.class).inNamespace("dev").withName("todo").edit(p -> {
      p.getSpec().getDatabase().setCloudNativePG(null);
      p.getSpec().getDatabase().setSecretRef(new dev.todo.operator.model.SecretRef("external-db"));
      return p;
    }));
    Await.until(WAIT, () -> assertThat(c.apps().deployments().inNamespace("dev").withName("todo-api").get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> assertThat(e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("external-db")));
    assertThat(c.genericKubernetesResources(CNPG, "Cluster").inNamespace("dev").withName("todo-db").get()).isNotNull();
  }
}
