package dev.todo.operator.desired;

import dev.todo.operator.model.AutoscalingSpec;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API scales on CPU. Workers scale on Kafka consumer lag through KEDA when KEDA is installed
 * and events go through Kafka, else on CPU: never both on one Deployment.
 */
public final class Autoscaling {
  public static final String KEDA_API_VERSION = "keda.sh/v1alpha1";

  private Autoscaling() {}

  public static boolean apiHpaWanted(TodoPlatform p) { return Defaults.of(p).api().getAutoscaling() != null; }

  public static boolean workerAutoscaled(TodoPlatform p) { return Defaults.of(p).workers().getAutoscaling() != null; }

  public static boolean workerUsesKeda(TodoPlatform p, boolean kedaInstalled) {
    Defaults d = Defaults.of(p);
    return workerAutoscaled(p) && kedaInstalled && d.bootstrapServers(p.getMetadata().getNamespace()).isPresent();
  }

  public static HorizontalPodAutoscaler apiHpa(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    return hpa(p, Names.api(p), AppDeployment.API, d.api().getAutoscaling());
  }

  public static HorizontalPodAutoscaler workerHpa(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    return hpa(p, Names.worker(p), AppDeployment.WORKER, d.workers().getAutoscaling());
  }

  private static HorizontalPodAutoscaler hpa(TodoPlatform p, String name, String component, AutoscalingSpec a) {
    Defaults d = Defaults.of(p);
    return new HorizontalPodAutoscalerBuilder()
        .withNewMetadata().withName(name).withNamespace(p.getMetadata().getNamespace())
        .withLabels(Labels.of(p, component)).endMetadata()
        .withNewSpec()
        .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(name).endScaleTargetRef()
        .withMinReplicas(d.minReplicas(a)).withMaxReplicas(d.maxReplicas(a))
        .addNewMetric().withType("Resource")
        .withNewResource().withName("cpu").withNewTarget().withType("Utilization")
        .withAverageUtilization(d.cpuTarget(a)).endTarget().endResource()
        .endMetric()
        .endSpec()
        .build();
  }

  public static GenericKubernetesResource workerScaledObject(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    AutoscalingSpec a = d.workers().getAutoscaling();
    Map<String, Object> trigger = new LinkedHashMap<>();
    trigger.put("type", "kafka");
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("bootstrapServers", d.bootstrapServers(p.getMetadata().getNamespace()).orElseThrow());
    meta.put("consumerGroup", Names.consumerGroup(p));
    meta.put("topic", d.topicPrefix(p) + Topics.TASK_EVENTS);
    meta.put("lagThreshold", String.valueOf(d.lagThreshold(a)));
    KafkaAuth.kedaTriggerMetadata(p, meta);
    trigger.put("metadata", meta);
    if (KafkaAuth.of(p).isPresent()) {
      trigger.put("authenticationRef", Map.of("name", Names.kafkaTriggerAuth(p)));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("scaleTargetRef", Map.of("name", Names.worker(p)));
    spec.put("minReplicaCount", d.minReplicas(a));
    spec.put("maxReplicaCount", d.maxReplicas(a));
    spec.put("triggers", List.of(trigger));
    return Generic.resource(KEDA_API_VERSION, "ScaledObject", Names.worker(p), p.getMetadata().getNamespace(),
        Labels.of(p, AppDeployment.WORKER), spec);
  }
}
