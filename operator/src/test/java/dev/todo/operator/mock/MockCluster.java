package dev.todo.operator.mock;

import dev.todo.operator.TodoOperator;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Set;

/** A Fabric8 mock API server in CRUD mode with server-side apply, plus the operator running in-process. */
public final class MockCluster implements AutoCloseable {
  public static final Path CRD = Path.of(System.getProperty("repo.root", ".."), "crds/todoplatforms.todo.dev-v1.yml");

  private final KubernetesMockServer server;
  private final ServerSideApplyCrudDispatcher dispatcher = new ServerSideApplyCrudDispatcher();
  private final KubernetesClient client;
  private Operator operator;

  public MockCluster() {
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
        dispatcher, false);
    server.init();
    client = server.createClient();
    try {
      client.resource(Serialization.unmarshal(Files.readString(CRD), CustomResourceDefinition.class)).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient client() { return client; }

  public ServerSideApplyCrudDispatcher dispatcher() { return dispatcher; }

  /** Installs a CRD the way another operator's chart would, so API discovery finds it. */
  public MockCluster install(String group, String version, String kind, String plural) {
    client.resource(new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + group).endMetadata()
        .withNewSpec().withGroup(group).withScope("Namespaced")
        .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
        .addNewVersion().withName(version).withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema().endSchema()
        .withNewSubresources().withNewStatus().endStatus().endSubresources()
        .endVersion()
        .endSpec().build()).create();
    return this;
  }

  public MockCluster withStrimzi() {
    install("kafka.strimzi.io", "v1", "KafkaTopic", "kafkatopics");
    install("kafka.strimzi.io", "v1", "KafkaUser", "kafkausers");
    return install("kafka.strimzi.io", "v1", "Kafka", "kafkas");
  }

  public MockCluster withDapr() {
    install("dapr.io", "v1alpha1", "Component", "components");
    install("dapr.io", "v1alpha1", "Resiliency", "resiliencies");
    return install("dapr.io", "v1alpha1", "Configuration", "configurations");
  }

  public MockCluster withKeda() {
    install("keda.sh", "v1alpha1", "TriggerAuthentication", "triggerauthentications");
    return install("keda.sh", "v1alpha1", "ScaledObject", "scaledobjects");
  }

  public MockCluster startOperator() {
    return startOperator(o -> {});
  }

  public MockCluster startOperator(java.util.function.Consumer<io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider> extra) {
    operator = TodoOperator.create(client, Set.of(), o -> {
      o.withCloseClientOnStop(false);
      extra.accept(o);
    });
    operator.start();
    return this;
  }

  public Operator operator() { return operator; }

  public TodoPlatform platform(String namespace, String name) {
    return client.resources(TodoPlatform.class).inNamespace(namespace).withName(name).get();
  }

  @Override
  public void close() {
    if (operator != null) operator.stop();
    client.close();
    server.destroy();
  }
}
