package dev.todo.operator.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka authentication with Strimzi on the Fabric8 mock API server (CRUD mode, server-side apply
 * path): a KafkaUser with the platform's ACLs in the Kafka namespace; once Strimzi has issued its
 * Secret, the credentials and the cluster CA are copied next to the pods; the user goes with the
 * platform, the topics stay.
 */
class KafkaAuthenticationOnMockServerTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  MockCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) cluster.close();
  }

  static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

  static Condition condition(TodoPlatform p, String type) {
    assertThat(p).isNotNull();
    assertThat(p.getStatus()).isNotNull();
    return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void scramUserIsCreatedAndItsCredentialsReachThePlatformsNamespace() {
    cluster = new MockCluster().withStrimzi();
    KubernetesClient c = cluster.client();
    c.resource(new SecretBuilder().withNewMetadata().withName("todo-db").withNamespace("dev").endMetadata()
        .withStringData(Map.of("url", "jdbc:postgresql://db:5432/todo", "username", "todo", "password", "pw")).build()).create();
    c.resource(new GenericKubernetesResourceBuilder().withApiVersion("kafka.strimzi.io/v1").withKind("Kafka")
        .withNewMetadata().withName("events").withNamespace("kafka").endMetadata().build()).create();
    cluster.startOperator();
    c.resource(Serialization.unmarshal("""
        apiVersion: todo.dev/v1alpha1
        kind: TodoPlatform
        metadata: {name: todo, namespace: dev}
        spec:
          database: {secretRef: {name: todo-db}}
          events:
            transport: kafka
            kafka:
              clusterRef: {name: events, namespace: kafka}
              authentication: {type: scram-sha-512}
        """, TodoPlatform.class)).create();

    Await.until(WAIT, () -> {
      GenericKubernetesResource user = c.genericKubernetesResources("kafka.strimzi.io/v1", "KafkaUser")
          .inNamespace("kafka").withName("dev.todo").get();
      assertThat(user).isNotNull();
      assertThat(user.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "events");
      assertThat(Serialization.asYaml(user.getAdditionalProperties().get("spec")))
          .contains("type: \"scram-sha-512\"").contains("name: \"dev.todo.\"").contains("patternType: \"prefix\"")
          .contains("name: \"todo-dev-todo\"");
      assertThat(condition(cluster.platform("dev", "todo"), "KafkaTopicsReady").getReason()).isIn("TopicsNotReady", "KafkaUserNotReady");
      var env = c.apps().deployments().inNamespace("dev").withName("todo-worker").get()
          .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
      assertThat(env).anySatisfy(e -> {
        assertThat(e.getName()).isEqualTo("TODO_KAFKA_SASL_PASSWORD");
        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("todo-kafka-credentials");
      });
    });
    assertThat(c.secrets().inNamespace("dev").withName("todo-kafka-credentials").get()).as("nothing to copy yet").isNull();

    // What Strimzi would do: the cluster CA, the user's Secret, ready topics.
    c.resource(new SecretBuilder().withNewMetadata().withName("events-cluster-ca-cert").withNamespace("kafka").endMetadata()
        .withData(Map.of("ca.crt", b64("CA PEM"))).build()).create();
    c.resource(new SecretBuilder().withNewMetadata().withName("dev.todo").withNamespace("kafka").endMetadata()
        .withData(Map.of("password", b64("s3cret"), "sasl.jaas.config", b64("..."))).build()).create();
    for (KafkaTopic t : c.resources(KafkaTopic.class).inNamespace("kafka").list().getItems()) {
      Await.retryOnConflict(() -> c.resources(KafkaTopic.class).inNamespace("kafka").withName(t.getMetadata().getName()).editStatus(x -> {
        x.setStatus(new io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder().addNewCondition().withType("Ready")
            .withStatus("True").endCondition().build());
        return x;
      }));
    }

    Await.until(WAIT, () -> {
      Secret copy = c.secrets().inNamespace("dev").withName("todo-kafka-credentials").get();
      assertThat(copy).isNotNull();
      assertThat(copy.getData()).containsEntry("username", b64("dev.todo")).containsEntry("password", b64("s3cret"))
          .containsEntry("ca.crt", b64("CA PEM")).doesNotContainKey("sasl.jaas.config");
      assertThat(copy.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getController()).isTrue());
      assertThat(condition(cluster.platform("dev", "todo"), "KafkaTopicsReady").getStatus()).isEqualTo("True");
    });

    c.resources(TodoPlatform.class).inNamespace("dev").withName("todo").delete();
    Await.until(WAIT, () -> {
      assertThat(cluster.platform("dev", "todo")).isNull();
      assertThat(c.genericKubernetesResources("kafka.strimzi.io/v1", "KafkaUser").inNamespace("kafka").list().getItems())
          .as("the credential goes with the platform").isEmpty();
    });
    List<KafkaTopic> topics = c.resources(KafkaTopic.class).inNamespace("kafka").list().getItems();
    assertThat(topics).as("topics are retained by default").hasSize(6);
  }

  @Test
  void kedaReadsTheLagWithTheSameCredentialsAndLetsGoOfThemWithoutAuthentication() {
    cluster = new MockCluster().withKeda();
    KubernetesClient c = cluster.client();
    cluster.startOperator();
    c.resource(Serialization.unmarshal("""
        apiVersion: todo.dev/v1alpha1
        kind: TodoPlatform
        metadata: {name: todo, namespace: dev}
        spec:
          database: {secretRef: {name: todo-db}}
          workers: {autoscaling: {maxReplicas: 4}}
          events:
            transport: kafka
            kafka:
              bootstrapServers: broker.example.com:9096
              authentication: {type: scram-sha-512, secretRef: {name: kafka-login}, caKey: ca.pem}
        """, TodoPlatform.class)).create();
    var auths = c.genericKubernetesResources("keda.sh/v1alpha1", "TriggerAuthentication").inNamespace("dev");
    Await.until(WAIT, () -> {
      GenericKubernetesResource auth = auths.withName("todo-kafka").get();
      assertThat(auth).isNotNull();
      assertThat(auth.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getController()).isTrue());
      assertThat(Serialization.asYaml(auth.getAdditionalProperties().get("spec")))
          .contains("name: \"kafka-login\"").contains("key: \"ca.pem\"");
      GenericKubernetesResource scaled = c.genericKubernetesResources("keda.sh/v1alpha1", "ScaledObject").inNamespace("dev")
          .withName("todo-worker").get();
      assertThat(scaled).isNotNull();
      assertThat(Serialization.asYaml(scaled.getAdditionalProperties().get("spec")))
          .contains("authenticationRef").contains("sasl: \"scram_sha512\"").contains("tls: \"enable\"");
    });

    Await.retryOnConflict(() -> c.resources(TodoPlatform.class).inNamespace("dev").withName("todo").edit(p -> {
      p.getSpec().getEvents().getKafka().setAuthentication(null);
      return p;
    }));
    Await.until(WAIT, () -> assertThat(auths.withName("todo-kafka").get()).isNull());
  }
}
