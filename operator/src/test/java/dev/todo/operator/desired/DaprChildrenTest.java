package dev.todo.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Dapr children: both pub/sub components, the resiliency policy and the app API token. */
class DaprChildrenTest {
  static final OptionalApis WITH_DAPR = new OptionalApis(true, true, false, false, false);
  static final OptionalApis WITHOUT_DAPR = new OptionalApis(false, true, false, false, false);

  static TodoPlatform platform(String transport) {
    return Serialization.unmarshal("""
        apiVersion: todo.dev/v1alpha1
        kind: TodoPlatform
        metadata: {name: todo, namespace: dev}
        spec:
          database: {secretRef: {name: todo-db}}
          events:
            transport: %s
            kafka: {clusterRef: {name: events, namespace: kafka}}
        """.formatted(transport), TodoPlatform.class);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> componentMetadata(GenericKubernetesResource r) {
    return ((List<Map<String, String>>) spec(r).get("metadata")).stream()
        .collect(Collectors.toMap(m -> m.get("name"), m -> m.get("value")));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String... path) {
    Map<String, Object> at = m;
    for (String key : path) {
      at = (Map<String, Object>) at.get(key);
      assertThat(at).as(String.join(".", path)).isNotNull();
    }
    return at;
  }

  @Test
  void broadcastComponentHasAConsumerGroupPerPodOnTheSameBrokersForTheApiOnly() {
    TodoPlatform p = platform("dapr");
    GenericKubernetesResource group = Dapr.pubsub(p);
    GenericKubernetesResource broadcast = Dapr.broadcastPubsub(p);

    assertThat(broadcast.getMetadata().getName()).isEqualTo("todo-pubsub-broadcast").isEqualTo(Names.broadcastPubsub(p));
    assertThat(broadcast.getKind()).isEqualTo("Component");
    assertThat(spec(broadcast)).containsEntry("type", "pubsub.kafka").containsEntry("version", "v1");
    assertThat(componentMetadata(broadcast))
        .containsEntry("consumerGroup", "{podName}")
        .containsEntry("initialOffset", "newest")
        .containsEntry("brokers", "events-kafka-bootstrap.kafka.svc:9092")
        .containsEntry("brokers", componentMetadata(group).get("brokers"));
    assertThat(broadcast.getAdditionalProperties().get("scopes")).isEqualTo(List.of("todo-api"));

    assertThat(componentMetadata(group))
        .as("the consumer-group component is unchanged")
        .containsEntry("consumerGroup", "todo-dev-todo")
        .containsEntry("initialOffset", "oldest");
    assertThat(group.getAdditionalProperties().get("scopes")).isEqualTo(List.of("todo-api", "todo-worker"));
  }

  @Test
  void configMapNamesTheBroadcastComponentOnlyWithDapr() {
    assertThat(AppConfig.data(platform("dapr")))
        .containsEntry("TODO_DAPR_PUBSUB", "todo-pubsub")
        .containsEntry("TODO_DAPR_BROADCAST_PUBSUB", "todo-pubsub-broadcast");
    assertThat(AppConfig.data(platform("kafka"))).doesNotContainKeys("TODO_DAPR_PUBSUB", "TODO_DAPR_BROADCAST_PUBSUB");
    assertThat(AppConfig.data(platform("inprocess"))).doesNotContainKeys("TODO_DAPR_PUBSUB", "TODO_DAPR_BROADCAST_PUBSUB");
  }

  @Test
  void inboundDeliveryIsRetriedWithoutLimitAndPublishingIsBounded() {
    Map<String, Object> spec = spec(Dapr.resiliency(platform("dapr")));
    Map<String, Object> retries = map(spec, "policies", "retries");
    Map<String, Object> components = map(spec, "targets", "components");

    Map<String, Object> group = map(components, "todo-pubsub");
    String outbound = (String) map(group, "outbound").get("retry");
    String inbound = (String) map(group, "inbound").get("retry");
    assertThat(inbound).isNotEqualTo(outbound);
    assertThat(map(group, "outbound")).containsEntry("circuitBreaker", "pubsubBreaker");
    assertThat(map(retries, outbound)).containsEntry("maxRetries", 10);
    // constant: Dapr's exponential back-off would also stop after 15 minutes elapsed
    assertThat(map(retries, inbound)).containsEntry("maxRetries", -1).containsEntry("policy", "constant");

    Map<String, Object> broadcast = map(components, "todo-pubsub-broadcast");
    assertThat(broadcast).containsOnlyKeys("inbound");
    assertThat(map(broadcast, "inbound")).containsEntry("retry", inbound).containsEntry("timeout", "pubsubTimeout");
  }

  @Test
  void podsCarryTheAppTokenOnlyWithDapr() {
    for (Deployment d : List.of(AppDeployment.api(platform("dapr")), AppDeployment.worker(platform("dapr")))) {
      assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
          .containsEntry("dapr.io/app-token-secret", "todo-dapr-app-token");
      assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .filteredOn(e -> e.getName().equals("APP_API_TOKEN")).singleElement()
          .satisfies(e -> {
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("todo-dapr-app-token");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
            assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isNull();
          });
    }
    for (String transport : List.of("kafka", "inprocess")) {
      Deployment d = AppDeployment.api(platform(transport));
      assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).doesNotContainKey("dapr.io/app-token-secret");
      assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .extracting(EnvVar::getName).doesNotContain("APP_API_TOKEN");
    }
  }

  @Test
  void appTokenIsGeneratedOnceThenKept() {
    TodoPlatform p = platform("dapr");
    Secret first = DaprAppToken.desired(p, Optional.empty());
    Secret second = DaprAppToken.desired(p, Optional.empty());
    assertThat(first.getMetadata().getName()).isEqualTo("todo-dapr-app-token");
    assertThat(first.getType()).isEqualTo("Opaque");
    assertThat(first.getData()).containsOnlyKeys("token");
    String token = new String(Base64.getDecoder().decode(first.getData().get("token")), StandardCharsets.US_ASCII);
    assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(second.getData().get("token")).as("random").isNotEqualTo(first.getData().get("token"));

    Secret kept = DaprAppToken.desired(p, Optional.of(first.getData().get("token")));
    assertThat(kept).isEqualTo(first);
  }

  @Test
  void theTokenSecretDoesNotWaitForDaprButTheDaprObjectsDo() {
    Optional<String> token = Optional.of("dG9rZW4=");
    assertThat(kinds(Children.desired(platform("dapr"), WITH_DAPR, Optional.empty(), token)))
        .contains("Secret/todo-dapr-app-token", "Component/todo-pubsub", "Component/todo-pubsub-broadcast",
            "Resiliency/todo-resiliency", "Configuration/todo-dapr");
    assertThat(kinds(Children.desired(platform("dapr"), WITHOUT_DAPR, Optional.empty(), token)))
        .contains("Secret/todo-dapr-app-token")
        .noneMatch(k -> k.startsWith("Component/") || k.startsWith("Resiliency/") || k.startsWith("Configuration/"));
    assertThat(kinds(Children.desired(platform("kafka"), WITH_DAPR, Optional.empty(), token)))
        .doesNotContain("Secret/todo-dapr-app-token")
        .noneMatch(k -> k.startsWith("Component/") || k.startsWith("Resiliency/") || k.startsWith("Configuration/"));
  }

  @Test
  void outputIsDeterministic() {
    Optional<String> jwt = Optional.of("a2V5");
    Optional<String> token = Optional.of("dG9rZW4=");
    String once = yaml(Children.desired(platform("dapr"), WITH_DAPR, jwt, token));
    String again = yaml(Children.desired(platform("dapr"), WITH_DAPR, jwt, token));
    assertThat(again).isEqualTo(once);
  }

  static List<String> kinds(List<HasMetadata> children) {
    return children.stream().map(c -> c.getKind() + "/" + c.getMetadata().getName()).toList();
  }

  static String yaml(List<HasMetadata> children) {
    return children.stream().map(Serialization::asYaml).collect(Collectors.joining());
  }
}
