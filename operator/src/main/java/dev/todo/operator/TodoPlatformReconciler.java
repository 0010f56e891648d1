package dev.todo.operator;

import dev.todo.operator.dependent.*;
import dev.todo.operator.desired.ApiService;
import dev.todo.operator.desired.Autoscaling;
import dev.todo.operator.desired.DatabaseConnection;
import dev.todo.operator.desired.KafkaAuth;
import dev.todo.operator.desired.Defaults;
import dev.todo.operator.desired.Names;
import dev.todo.operator.desired.Topics;
import dev.todo.operator.model.ReplicaStatus;
import dev.todo.operator.model.TodoPlatform;
import dev.todo.operator.model.TodoPlatformStatus;
import dev.todo.operator.model.DeletionPolicy;
import dev.todo.operator.model.Transport;
import dev.todo.operator.status.ConditionSet;
import dev.todo.operator.status.PlatformMeters;
import dev.todo.operator.status.PlatformStatus;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TodoPlatform in, the whole platform out. The dependency graph is declared here; each child
 * is one dependent class whose desired state is a pure function in the desired package. The
 * workflow is invoked explicitly so an invalid spec changes nothing in the cluster.
 */
@ControllerConfiguration(name = "todoplatform", fieldManager = TodoPlatformReconciler.FIELD_MANAGER)
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "config", type = AppConfigMapDependent.class),
    @Dependent(name = "jwt-secret", type = JwtSecretDependent.class,
        reconcilePrecondition = Conditions.JwtSecretGenerated.class),
    @Dependent(name = "dapr-app-token", type = DaprAppTokenDependent.class,
        reconcilePrecondition = Conditions.DaprAppTokenWanted.class),
    @Dependent(name = "database", type = DatabaseClusterDependent.class,
        activationCondition = Conditions.CloudNativePGInstalled.class,
        reconcilePrecondition = Conditions.CloudNativePGWanted.class),
    @Dependent(name = "api", type = ApiDeploymentDependent.class, dependsOn = "config"),
    @Dependent(name = "worker", type = WorkerDeploymentDependent.class, dependsOn = "config"),
    @Dependent(name = "api-service", type = ApiServiceDependent.class),
    @Dependent(name = "ingress-internal-only", type = IngressInternalOnlyServiceDependent.class,
        reconcilePrecondition = Conditions.IngressWanted.class),
    @Dependent(name = "ingress", type = IngressDependent.class, dependsOn = {"api-service", "ingress-internal-only"},
        reconcilePrecondition = Conditions.IngressWanted.class),
    @Dependent(name = "api-pdb", type = ApiDisruptionBudgetDependent.class,
        reconcilePrecondition = Conditions.CloudProfile.class),
    @Dependent(name = "worker-pdb", type = WorkerDisruptionBudgetDependent.class,
        reconcilePrecondition = Conditions.CloudProfile.class),
    @Dependent(name = "api-hpa", type = ApiAutoscalerDependent.class, dependsOn = "api",
        reconcilePrecondition = Conditions.ApiAutoscaled.class),
    @Dependent(name = "worker-hpa", type = WorkerAutoscalerDependent.class, dependsOn = "worker",
        reconcilePrecondition = Conditions.WorkersScaledByCpu.class),
    @Dependent(name = "worker-scaledobject", type = WorkerScaledObjectDependent.class, dependsOn = "worker",
        activationCondition = Conditions.KedaInstalled.class,
        reconcilePrecondition = Conditions.WorkersScaledByLag.class),
    @Dependent(name = "dapr-config", type = DaprConfigurationDependent.class,
        activationCondition = Conditions.DaprInstalled.class,
        reconcilePrecondition = Conditions.DaprTransport.class),
    @Dependent(name = "dapr-pubsub", type = DaprPubSubDependent.class,
        activationCondition = Conditions.DaprInstalled.class,
        reconcilePrecondition = Conditions.DaprTransport.class),
    @Dependent(name = "dapr-pubsub-broadcast", type = DaprBroadcastPubSubDependent.class,
        activationCondition = Conditions.DaprInstalled.class,
        reconcilePrecondition = Conditions.DaprTransport.class),
    @Dependent(name = "dapr-resiliency", type = DaprResiliencyDependent.class,
        dependsOn = {"dapr-pubsub", "dapr-pubsub-broadcast"},
        activationCondition = Conditions.DaprInstalled.class,
        reconcilePrecondition = Conditions.DaprTransport.class),
    @Dependent(name = "pod-monitor", type = PodMonitorDependent.class,
        activationCondition = Conditions.PrometheusOperatorInstalled.class),
})
public class TodoPlatformReconciler implements Reconciler<TodoPlatform>, Cleaner<TodoPlatform> {
  public static final String FIELD_MANAGER = "todo-operator";
  private static final Logger log = LoggerFactory.getLogger(TodoPlatformReconciler.class);
  private static final Duration RECHECK = Duration.ofSeconds(30);

  @Override
  public UpdateControl<TodoPlatform> reconcile(TodoPlatform p, Context<TodoPlatform> context) {
    KubernetesClient client = context.getClient();
    ApiDiscovery apis = ApiDiscovery.of(client);
    long generation = Optional.ofNullable(p.getMetadata().getGeneration()).orElse(0L);
    TodoPlatformStatus previous = p.getStatus();
    ConditionSet conditions = new ConditionSet(previous == null ? null : previous.getConditions(), generation, Instant.now());

    Optional<SpecValidation.Problem> problem = SpecValidation.check(p);
    if (problem.isEmpty()) {
      problem = missingKafkaCluster(p, apis, new KafkaTopicSync(client));
    }
    if (problem.isPresent()) {
      var pr = problem.get();
      TodoPlatformStatus status = PlatformStatus.invalid(conditions, generation, pr.reason(), pr.message());
      if (previous == null || previous.getConditions().stream()
          .noneMatch(c -> ConditionSet.READY.equals(c.getType()) && pr.reason().equals(c.getReason()))) {
        event(client, p, pr.reason(), pr.message());
      }
      return patchIfChanged(p, status).rescheduleAfter(RECHECK);
    }

    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    kedaTriggerAuthentication(p, client, apis);

    Defaults d = Defaults.of(p);
    database(p, client, apis, conditions);
    topics(p, client, apis, d, conditions);
    dapr(apis, d, conditions);
    Optional<Deployment> api = deployment(context, Names.api(p));
    Optional<Deployment> worker = deployment(context, Names.worker(p));
    ReplicaStatus apiReplicas = replicas(api);
    ReplicaStatus workerReplicas = replicas(worker);
    available(conditions, ConditionSet.API, "API", apiReplicas);
    available(conditions, ConditionSet.WORKERS, "Workers", workerReplicas);
    TodoPlatformStatus status = PlatformStatus.summarise(conditions, generation, ApiService.url(p),
        apiReplicas, workerReplicas, api.isPresent() || worker.isPresent());
    UpdateControl<TodoPlatform> control = patchIfChanged(p, status);
    // Secrets and topics the operator does not own send no events: look again while not ready.
    return "Ready".equals(status.getPhase()) ? control : control.rescheduleAfter(RECHECK);
  }

  /**
   * A failed reconcile (API server refused a child, network trouble) is retried with back-off by
   * JOSDK; meanwhile the status says so instead of showing a stale Ready.
   */
  @Override
  public ErrorStatusUpdateControl<TodoPlatform> updateErrorStatus(TodoPlatform p, Context<TodoPlatform> context, Exception e) {
    long generation = Optional.ofNullable(p.getMetadata().getGeneration()).orElse(0L);
    TodoPlatformStatus previous = p.getStatus();
    ConditionSet conditions = new ConditionSet(previous == null ? null : previous.getConditions(), generation, Instant.now());
    if (previous != null) {
      previous.getConditions().stream().filter(c -> !ConditionSet.READY.equals(c.getType()))
          .forEach(c -> conditions.set(c.getType(), "True".equals(c.getStatus()), c.getReason(), c.getMessage()));
    }
    String message = String.valueOf(e.getMessage());
    conditions.set(ConditionSet.READY, false, "ReconcileFailed",
        message.length() > 300 ? message.substring(0, 300) + "..." : message);
    TodoPlatformStatus status = new TodoPlatformStatus();
    status.setObservedGeneration(generation);
    status.setPhase("Degraded");
    if (previous != null) {
      status.setUrl(previous.getUrl());
      status.setReplicas(previous.getReplicas());
      status.setApi(previous.getApi());
      status.setWorkers(previous.getWorkers());
    }
    status.setConditions(conditions.list());
    PlatformMeters.reconcileFailed();
    PlatformMeters.record(p, status);
    if (status.equals(previous)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    TodoPlatform patch = new TodoPlatform();
    patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(p.getMetadata().getName()).withNamespace(p.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(patch);
  }

  /**
   * Children that hold data (the KafkaTopics, the CloudNativePG cluster) carry no owner reference:
   * they outlive the platform unless its spec says Delete. Everything else goes with the platform
   * through its owner references.
   */
  @Override
  public DeleteControl cleanup(TodoPlatform p, Context<TodoPlatform> context) {
    Defaults d = Defaults.of(p);
    ApiDiscovery apis = ApiDiscovery.of(context.getClient());
    String ns = p.getMetadata().getNamespace();
    if (d.managesTopics() && d.topicDeletionPolicy() == DeletionPolicy.Delete && apis.strimzi()) {
      new KafkaTopicSync(context.getClient()).delete(p);
      log.info("Deleted KafkaTopics of {}/{}", ns, p.getMetadata().getName());
    }
    if (d.managesTopics() && apis.strimzi()) {
      // a credential, not data: it goes with the platform whatever the topics' policy
      new KafkaUserSync(context.getClient()).delete(p);
    }
    if (d.usesCloudNativePG() && d.databaseDeletionPolicy() == DeletionPolicy.Delete && apis.cloudNativePG()) {
      context.getClient().genericKubernetesResources(ApiDiscovery.CNPG, "Cluster").inNamespace(ns)
          .withName(Names.database(p)).delete();
      log.info("Deleted CloudNativePG cluster {}/{}", ns, Names.database(p));
    }
    PlatformMeters.forget(p);
    return DeleteControl.defaultDelete();
  }

  private static UpdateControl<TodoPlatform> patchIfChanged(TodoPlatform p, TodoPlatformStatus status) {
    PlatformMeters.record(p, status);
    if (status.equals(p.getStatus())) {
      return UpdateControl.noUpdate();
    }
    TodoPlatform patch = new TodoPlatform();
    patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(p.getMetadata().getName()).withNamespace(p.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
  }

  private static Optional<SpecValidation.Problem> missingKafkaCluster(TodoPlatform p, ApiDiscovery apis, KafkaTopicSync topics) {
    Defaults d = Defaults.of(p);
    if (!d.managesTopics() || !apis.strimzi()) return Optional.empty();
    var ref = d.kafka().orElseThrow().getClusterRef();
    String ns = d.kafkaNamespace(p.getMetadata().getNamespace());
    try {
      if (topics.kafkaExists(ns, ref.getName())) return Optional.empty();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
    return Optional.of(new SpecValidation.Problem("KafkaClusterNotFound",
        "spec.events.kafka.clusterRef: Kafka " + ns + "/" + ref.getName() + " does not exist"));
  }

  private static void database(TodoPlatform p, KubernetesClient client, ApiDiscovery apis, ConditionSet c) {
    Defaults d = Defaults.of(p);
    String ns = p.getMetadata().getNamespace();
    if (d.usesCloudNativePG()) {
      if (!apis.cloudNativePG()) {
        c.set(ConditionSet.DATABASE, false, "CloudNativePGNotInstalled",
            "spec.database.cloudNativePG needs the CloudNativePG operator (postgresql.cnpg.io/v1)");
        return;
      }
      GenericKubernetesResource cluster = client.genericKubernetesResources(ApiDiscovery.CNPG, "Cluster")
          .inNamespace(ns).withName(Names.database(p)).get();
      Object ready = cluster == null || cluster.getAdditionalProperties().get("status") == null ? null
          : ((Map<?, ?>) cluster.getAdditionalProperties().get("status")).get("readyInstances");
      boolean ok = ready instanceof Number n && n.intValue() > 0;
      c.set(ConditionSet.DATABASE, ok, ok ? "ClusterReady" : "ClusterNotReady",
          ok ? "CloudNativePG cluster " + Names.database(p) + " has a ready instance"
              : "Waiting for CloudNativePG cluster " + Names.database(p));
      return;
    }
    DatabaseConnection conn = DatabaseConnection.of(p);
    Secret secret = client.secrets().inNamespace(ns).withName(conn.secretName()).get();
    if (secret == null) {
      c.set(ConditionSet.DATABASE, false, "SecretNotFound",
          "spec.database.secretRef: Secret " + conn.secretName() + " does not exist");
      return;
    }
    for (String key : new String[] {conn.urlKey(), conn.usernameKey(), conn.passwordKey()}) {
      boolean has = (secret.getData() != null && secret.getData().containsKey(key))
          || (secret.getStringData() != null && secret.getStringData().containsKey(key));
      if (!has) {
        c.set(ConditionSet.DATABASE, false, "SecretKeyMissing",
            "spec.database.secretRef: Secret " + conn.secretName() + " has no key " + key);
        return;
      }
    }
    c.set(ConditionSet.DATABASE, true, "SecretFound", "Connection from Secret " + conn.secretName());
  }

  private static void topics(TodoPlatform p, KubernetesClient client, ApiDiscovery apis, Defaults d, ConditionSet c) {
    if (d.transport() == Transport.INPROCESS) {
      c.set(ConditionSet.TOPICS, true, "NotRequired", "Events stay in process");
    } else if (!d.managesTopics()) {
      c.set(ConditionSet.TOPICS, true, "ManagedExternally", "Topics on " + d.kafka().orElseThrow().getBootstrapServers()
          + " are not managed by the operator");
    } else if (!apis.strimzi()) {
      c.set(ConditionSet.TOPICS, false, "StrimziNotInstalled",
          "spec.events.kafka.clusterRef needs Strimzi (kafka.strimzi.io/v1); no KafkaTopics created");
    } else {
      long ready = new KafkaTopicSync(client).apply(p);
      boolean ok = ready == Topics.ALL.size();
      KafkaUserSync users = new KafkaUserSync(client);
      Optional<String> userWait = Optional.empty();
      if (KafkaAuth.strimziUser(p)) {
        userWait = users.apply(p);
      } else {
        users.delete(p);
      }
      if (ok && userWait.isPresent()) {
        c.set(ConditionSet.TOPICS, false, "KafkaUserNotReady", userWait.get());
      } else {
        c.set(ConditionSet.TOPICS, ok, ok ? "TopicsReady" : "TopicsNotReady",
            ready + "/" + Topics.ALL.size() + " KafkaTopics ready in " + d.kafkaNamespace(p.getMetadata().getNamespace()));
      }
    }
  }

  /**
   * The KEDA TriggerAuthentication with the Kafka credentials, beside the ScaledObject that uses it.
   * Applied here rather than as a workflow dependent: as a second untyped KEDA dependent its informer
   * was built through API discovery while KEDA was absent (seen on the mock API server with JOSDK
   * 5.2.3), which failed every reconcile.
   */
  private static void kedaTriggerAuthentication(TodoPlatform p, KubernetesClient client, ApiDiscovery apis) {
    if (!apis.keda()) return;
    var existing = client.genericKubernetesResources(Autoscaling.KEDA_API_VERSION, "TriggerAuthentication")
        .inNamespace(p.getMetadata().getNamespace()).withName(Names.kafkaTriggerAuth(p));
    if (Autoscaling.workerUsesKeda(p, true) && KafkaAuth.of(p).isPresent()) {
      GenericKubernetesResource auth = KafkaAuth.kedaTriggerAuthentication(p);
      auth.getMetadata().setOwnerReferences(new java.util.ArrayList<>(java.util.List.of(ControllerOwner.of(p))));
      client.resource(auth).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    } else if (existing.get() != null) {
      existing.delete();
    }
  }

  private static void dapr(ApiDiscovery apis, Defaults d, ConditionSet c) {
    if (!d.usesDapr()) {
      c.set(ConditionSet.DAPR, true, "NotRequired", "Transport " + d.transport().value() + " does not use Dapr");
    } else if (!apis.dapr()) {
      c.set(ConditionSet.DAPR, false, "DaprNotInstalled", "spec.events.transport dapr needs Dapr (dapr.io/v1alpha1)");
    } else {
      c.set(ConditionSet.DAPR, true, "ComponentsApplied", "Pub/sub components, resiliency and configuration applied");
    }
  }

  private static Optional<Deployment> deployment(Context<TodoPlatform> context, String name) {
    return context.getSecondaryResourcesAsStream(Deployment.class)
        .filter(dep -> name.equals(dep.getMetadata().getName())).findFirst();
  }

  private static ReplicaStatus replicas(Optional<Deployment> d) {
    int desired = d.map(x -> x.getSpec().getReplicas()).orElse(0) == null ? 0 : d.map(x -> x.getSpec().getReplicas()).orElse(0);
    int ready = d.map(Deployment::getStatus).map(s -> s.getReadyReplicas()).orElse(0);
    return new ReplicaStatus(ready, desired);
  }

  private static void available(ConditionSet c, String type, String what, ReplicaStatus r) {
    boolean ok = r.getDesiredReplicas() > 0 && r.getReadyReplicas() >= r.getDesiredReplicas();
    c.set(type, ok, ok ? "MinimumReplicasAvailable" : "ReplicasNotReady",
        what + ": " + r.getReadyReplicas() + "/" + r.getDesiredReplicas() + " replicas ready");
  }

  private static void event(KubernetesClient client, TodoPlatform p, String reason, String message) {
    try {
      client.v1().events().inNamespace(p.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata().withName(p.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
          .withNamespace(p.getMetadata().getNamespace()).endMetadata()
          .withNewInvolvedObject().withApiVersion(p.getApiVersion()).withKind(p.getKind())
          .withName(p.getMetadata().getName()).withNamespace(p.getMetadata().getNamespace())
          .withUid(p.getMetadata().getUid()).endInvolvedObject()
          .withType("Warning").withReason(reason).withMessage(message)
          .withNewSource().withComponent(FIELD_MANAGER).endSource()
          .withFirstTimestamp(Instant.now().toString()).withLastTimestamp(Instant.now().toString()).withCount(1)
          .build()).create();
    } catch (KubernetesClientException e) {
      log.warn("Could not record event {} for {}: {}", reason, p.getMetadata().getName(), e.getMessage());
    }
  }
}
