package dev.todo.operator.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator in-process against the Fabric8 mock API server (CRUD mode, server-side apply path). */
class TodoPlatformOperatorOnMockServerTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  MockCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) cluster.close();
  }

  static TodoPlatform platform(String yaml) {
    return Serialization.unmarshal(yaml, TodoPlatform.class);
  }

  static final String DAPR_PLATFORM = """
      apiVersion: todo.dev/v1alpha1
      kind: TodoPlatform
      metadata: {name: todo, namespace: dev}
      spec:
        database: {secretRef: {name: todo-db}}
        events:
          transport: dapr
          kafka:
            clusterRef: {name: events, namespace: kafka}
            topicDeletionPolicy: %s
      """;

  void databaseSecret(KubernetesClient c) {
    c.resource(new SecretBuilder().withNewMetadata().withName("todo-db").withNamespace("dev").endMetadata()
        .withStringData(Map.of("url", "jdbc:postgresql://db:5432/todo", "username", "todo", "password", "pw")).build()).create();
  }

  void kafka(KubernetesClient c) {
    c.resource(new GenericKubernetesResourceBuilder().withApiVersion("kafka.strimzi.io/v1").withKind("Kafka")
        .withNewMetadata().withName("events").withNamespace("kafka").endMetadata().build()).create();
  }

  static Condition condition(TodoPlatform p, String type) {
    assertThat(p).isNotNull();
    assertThat(p.getStatus()).as("status").isNotNull();
    return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  Deployment deployment(String name) {
    return cluster.client().apps().deployments().inNamespace("dev").withName(name).get();
  }

  @Test
  void createsChildrenAndReportsReadyOnceDeploymentsAndTopicsAre() {
    cluster = new MockCluster().withStrimzi().withDapr();
    KubernetesClient c = cluster.client();
    databaseSecret(c);
    kafka(c);
    cluster.startOperator();
    c.resource(platform(DAPR_PLATFORM.formatted("Delete"))).create();

    Await.until(WAIT, () -> {
      Deployment api = deployment("todo-api");
      assertThat(api).isNotNull();
      assertThat(api.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getKind()).isEqualTo("TodoPlatform"));
      assertThat(api.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("dapr.io/app-id", "todo-api");
      assertThat(deployment("todo-worker")).isNotNull();
      assertThat(c.services().inNamespace("dev").withName("todo-api").get()).isNotNull();
      assertThat(c.secrets().inNamespace("dev").withName("todo-jwt").get()).isNotNull();
      assertThat(c.genericKubernetesResources("dapr.io/v1alpha1", "Component").inNamespace("dev").withName("todo-pubsub").get()).isNotNull();
      assertThat(c.genericKubernetesResources("dapr.io/v1alpha1", "Component").inNamespace("dev").withName("todo-pubsub-broadcast").get())
          .isNotNull().satisfies(b -> assertThat(b.getMetadata().getOwnerReferences()).singleElement()
              .satisfies(o -> assertThat(o.getKind()).isEqualTo("TodoPlatform")));
      assertThat(c.genericKubernetesResources("dapr.io/v1alpha1", "Resiliency").inNamespace("dev").withName("todo-resiliency").get()).isNotNull();
      assertThat(c.secrets().inNamespace("dev").withName("todo-dapr-app-token").get()).isNotNull();
      assertThat(api.getSpec().getTemplate().getMetadata().getAnnotations())
          .containsEntry("dapr.io/app-token-secret", "todo-dapr-app-token");
      assertThat(c.resources(KafkaTopic.class).inNamespace("kafka").list().getItems()).hasSize(6);
      TodoPlatform p = cluster.platform("dev", "todo");
      assertThat(condition(p, "KafkaTopicsReady").getReason()).isEqualTo("TopicsNotReady");
      assertThat(condition(p, "DaprReady").getStatus()).isEqualTo("True");
      assertThat(condition(p, "DatabaseReady").getStatus()).isEqualTo("True");
      assertThat(condition(p, "Ready").getStatus()).isEqualTo("False");
      assertThat(p.getStatus().getPhase()).isEqualTo("Progressing");
      assertThat(p.getMetadata().getFinalizers()).isNotEmpty();
    });
    String jwt = c.secrets().inNamespace("dev").withName("todo-jwt").get().getData().get("secret");
    String appToken = c.secrets().inNamespace("dev").withName("todo-dapr-app-token").get().getData().get("token");

    // What Strimzi and the kubelet would do: topics become ready, pods become ready.
    for (KafkaTopic t : c.resources(KafkaTopic.class).inNamespace("kafka").list().getItems()) {
      c.resources(KafkaTopic.class).inNamespace("kafka").withName(t.getMetadata().getName()).editStatus(x -> {
        x.setStatus(new KafkaTopicStatusBuilder().addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        return x;
      });
    }
    for (String name : List.of("todo-api", "todo-worker")) {
      c.apps().deployments().inNamespace("dev").withName(name).editStatus(d -> {
        d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).build());
        return d;
      });
    }
    Await.until(WAIT, () -> {
      TodoPlatform p = cluster.platform("dev", "todo");
      assertThat(condition(p, "Ready").getStatus()).isEqualTo("True");
      assertThat(p.getStatus().getPhase()).isEqualTo("Ready");
      assertThat(p.getStatus().getReplicas()).isEqualTo("2/2");
      assertThat(p.getStatus().getUrl()).isEqualTo("http://todo-api.dev.svc");
      assertThat(p.getStatus().getObservedGeneration()).isEqualTo(p.getMetadata().getGeneration());
      assertThat(condition(p, "Ready").getObservedGeneration()).isEqualTo(p.getMetadata().getGeneration());
    });
    assertThat(c.secrets().inNamespace("dev").withName("todo-jwt").get().getData().get("secret"))
        .as("the generated key is kept").isEqualTo(jwt);
    assertThat(c.secrets().inNamespace("dev").withName("todo-dapr-app-token").get().getData().get("token"))
        .as("the generated app token is kept").isEqualTo(appToken);
  }

  @Test
  void leavingDaprDeletesBothComponentsAndTheAppToken() {
    cluster = new MockCluster().withStrimzi().withDapr();
    KubernetesClient c = cluster.client();
    databaseSecret(c);
    kafka(c);
    cluster.startOperator();
    c.resource(platform(DAPR_PLATFORM.formatted("Delete"))).create();
    Await.until(WAIT, () -> {
      assertThat(c.genericKubernetesResources("dapr.io/v1alpha1", "Component").inNamespace("dev").list().getItems())
          .extracting(x -> x.getMetadata().getName()).containsExactlyInAnyOrder("todo-pubsub", "todo-pubsub-broadcast");
      assertThat(c.secrets().inNamespace("dev").withName("todo-dapr-app-token").get()).isNotNull();
    });

    Await.retryOnConflict(() -> c.resources(TodoPlatform.class).inNamespace("dev").withName("todo").edit(p -> {
      p.getSpec().getEvents().setTransport(dev.todo.operator.model.Transport.KAFKA);
      return p;
    }));
    Await.until(WAIT, () -> {
      assertThat(c.genericKubernetesResources("dapr.io/v1alpha1", "Component").inNamespace("dev").list().getItems()).isEmpty();
      assertThat(c.genericKubernetesResources("dapr.io/v1alpha1", "Resiliency").inNamespace("dev").list().getItems()).isEmpty();
      assertThat(c.secrets().inNamespace("dev").withName("todo-dapr-app-token").get()).isNull();
      assertThat(c.configMaps().inNamespace("dev").withName("todo-config").get().getData())
          .containsEntry("TODO_EVENTS_TRANSPORT", "kafka");
    });
  }

  @Test
  void specChangesReachChildrenAndHandEditsAreUndone() {
    cluster = new MockCluster().withStrimzi().withDapr();
    KubernetesClient c = cluster.client();
    databaseSecret(c);
    kafka(c);
    cluster.startOperator();
    c.resource(platform(DAPR_PLATFORM.formatted("Delete"))).create();
    Await.until(WAIT, () -> assertThat(deployment("todo-api")).isNotNull());

    Await.retryOnConflict(() -> c.resources(TodoPlatform.class).inNamespace("dev").withName("todo").edit(p -> {
      p.getSpec().setApi(new dev.todo.operator.model.ComponentSpec());
      p.getSpec().getApi().setReplicas(3);
      return p;
    }));
    Await.until(WAIT, () -> assertThat(deployment("todo-api").getSpec().getReplicas()).isEqualTo(3));

    Await.retryOnConflict(() -> c.apps().deployments().inNamespace("dev").withName("todo-worker").edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("someone/else:1");
      return d;
    }));
    Await.until(WAIT, () -> assertThat(deployment("todo-worker").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage()).isEqualTo(dev.todo.operator.desired.AppImage.defaultImage().reference()));

    c.configMaps().inNamespace("dev").withName("todo-config").delete();
    Await.until(WAIT, () -> {
      ConfigMap cm = c.configMaps().inNamespace("dev").withName("todo-config").get();
      assertThat(cm).isNotNull();
      assertThat(cm.getData()).containsEntry("TODO_DAPR_PUBSUB", "todo-pubsub");
    });
  }

  @Test
  void runsWithoutOptionalApisAndSaysWhatIsMissing() {
    cluster = new MockCluster();
    KubernetesClient c = cluster.client();
    databaseSecret(c);
    cluster.startOperator();
    c.resource(platform(DAPR_PLATFORM.formatted("Delete"))).create();

    Await.until(WAIT, () -> {
      TodoPlatform p = cluster.platform("dev", "todo");
      assertThat(condition(p, "KafkaTopicsReady").getReason()).isEqualTo("StrimziNotInstalled");
      assertThat(condition(p, "DaprReady").getReason()).isEqualTo("DaprNotInstalled");
      assertThat(condition(p, "Ready").getStatus()).isEqualTo("False");
      assertThat(p.getStatus().getPhase()).isEqualTo("Degraded");
      assertThat(deployment("todo-api")).as("the rest of the platform is still created").isNotNull();
      assertThat(c.secrets().inNamespace("dev").withName("todo-dapr-app-token").get())
          .as("the pods reference the app token whether or not Dapr is installed").isNotNull();
    });
    assertThat(cluster.operator().getRuntimeInfo().allEventSourcesAreHealthy()).isTrue();
  }

  @Test
  void invalidSpecIsReportedWithTheFieldAndAnEventAndChangesNothing() {
    cluster = new MockCluster();
    KubernetesClient c = cluster.client();
    cluster.startOperator();
    c.resource(platform("""
        apiVersion: todo.dev/v1alpha1
        kind: TodoPlatform
        metadata: {name: broken, namespace: dev}
        spec:
          database:
            secretRef: {name: todo-db}
            cloudNativePG: {instances: 1}
        """)).create();

    Await.until(WAIT, () -> {
      TodoPlatform p = cluster.platform("dev", "broken");
      Condition ready = condition(p, "Ready");
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("DatabaseAmbiguous");
      assertThat(ready.getMessage()).startsWith("spec.database");
      assertThat(c.v1().events().inNamespace("dev").list().getItems())
          .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("DatabaseAmbiguous"));
    });
    assertThat(deployment("broken-api")).isNull();
  }

  @Test
  void deletingThePlatformDeletesOrKeepsTopicsPerPolicy() {
    cluster = new MockCluster().withStrimzi();
    KubernetesClient c = cluster.client();
    databaseSecret(c);
    kafka(c);
    cluster.startOperator();
    String kafkaPlatform = """
        apiVersion: todo.dev/v1alpha1
        kind: TodoPlatform
        metadata: {name: %s, namespace: dev}
        spec:
          database: {secretRef: {name: todo-db}}
          events:
            transport: kafka
            kafka:
              clusterRef: {name: events, namespace: kafka}
              topicDeletionPolicy: %s
        """;
    c.resource(platform(kafkaPlatform.formatted("gone", "Delete"))).create();
    c.resource(platform(kafkaPlatform.formatted("kept", "Retain"))).create();
    Await.until(WAIT, () -> assertThat(c.resources(KafkaTopic.class).inNamespace("kafka").list().getItems()).hasSize(12));

    c.resources(TodoPlatform.class).inNamespace("dev").withName("gone").delete();
    c.resources(TodoPlatform.class).inNamespace("dev").withName("kept").delete();
    Await.until(WAIT, () -> {
      assertThat(cluster.platform("dev", "gone")).isNull();
      assertThat(cluster.platform("dev", "kept")).isNull();
      assertThat(c.resources(KafkaTopic.class).inNamespace("kafka").list().getItems())
          .extracting(t -> t.getMetadata().getName())
          .hasSize(6)
          .allMatch(n -> n.startsWith("dev.kept."));
    });
  }

  @Test
  void kedaScalesWorkersWhenInstalledAndDroppedChildrenAreDeleted() {
    cluster = new MockCluster().withStrimzi().withKeda();
    KubernetesClient c = cluster.client();
    databaseSecret(c);
    kafka(c);
    cluster.startOperator();
    c.resource(platform("""
        apiVersion: todo.dev/v1alpha1
        kind: TodoPlatform
        metadata: {name: todo, namespace: dev}
        spec:
          profile: cloud
          database: {secretRef: {name: todo-db}}
          workers: {autoscaling: {minReplicas: 2, maxReplicas: 5}}
          events:
            transport: kafka
            kafka: {clusterRef: {name: events, namespace: kafka}}
          ingress: {host: todo.example.com}
        """)).create();

    Await.until(WAIT, () -> {
      var scaled = c.genericKubernetesResources("keda.sh/v1alpha1", "ScaledObject").inNamespace("dev").withName("todo-worker").get();
      assertThat(scaled).isNotNull();
      assertThat(c.autoscaling().v2().horizontalPodAutoscalers().inNamespace("dev").withName("todo-worker").get())
          .as("never an HPA and a ScaledObject on one Deployment").isNull();
      assertThat(c.network().v1().ingresses().inNamespace("dev").withName("todo").get()).isNotNull();
      assertThat(c.policy().v1().podDisruptionBudget().inNamespace("dev").withName("todo-api").get()).isNotNull();
      assertThat(deployment("todo-worker").getSpec().getReplicas()).as("left to the autoscaler").isNull();
    });

    Await.retryOnConflict(() -> c.resources(TodoPlatform.class).inNamespace("dev").withName("todo").edit(p -> {
      p.getSpec().setIngress(null);
      p.getSpec().setProfile(dev.todo.operator.model.Profile.MINIKUBE);
      return p;
    }));
    Await.until(WAIT, () -> {
      assertThat(c.network().v1().ingresses().inNamespace("dev").withName("todo").get()).isNull();
      assertThat(c.policy().v1().podDisruptionBudget().inNamespace("dev").withName("todo-api").get()).isNull();
      assertThat(cluster.platform("dev", "todo").getStatus().getUrl()).isEqualTo("http://todo-api.dev.svc");
    });
  }

  @Test
  void aRefusedChildShowsAsReconcileFailedUntilTheServerAcceptsIt() {
    cluster = new MockCluster();
    KubernetesClient c = cluster.client();
    databaseSecret(c);
    cluster.dispatcher().refuseAppliesTo("/deployments/todo-worker");
    cluster.startOperator();
    c.resource(platform("""
        apiVersion: todo.dev/v1alpha1
        kind: TodoPlatform
        metadata: {name: todo, namespace: dev}
        spec:
          database: {secretRef: {name: todo-db}}
        """)).create();

    Await.until(WAIT, () -> {
      Condition ready = condition(cluster.platform("dev", "todo"), "Ready");
      assertThat(ready.getReason()).isEqualTo("ReconcileFailed");
      assertThat(cluster.platform("dev", "todo").getStatus().getPhase()).isEqualTo("Degraded");
    });
    cluster.dispatcher().refuseAppliesTo(null);
    Await.until(Duration.ofSeconds(40), () -> {
      assertThat(deployment("todo-worker")).isNotNull();
      assertThat(condition(cluster.platform("dev", "todo"), "Ready").getReason()).isEqualTo("ReplicasNotReady");
    });
  }

  /**
   * Like a person re-running kubectl after "the object has been modified": the operator writes
   * status and finalizers concurrently, so an edit may meet a 409 and is retried on a fresh read.
   */
}
