package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every child of a platform, in a fixed order, given what the cluster offers. The reconciler's
 * dependents call the same builders one by one; this list is what the golden-file tests compare.
 */
public final class Children {
  private Children() {}

  public static List<HasMetadata> desired(TodoPlatform p, OptionalApis apis, Optional<String> existingJwtKey,
                                          Optional<String> existingDaprAppToken) {
    Defaults d = Defaults.of(p);
    List<HasMetadata> out = new ArrayList<>();
    out.add(AppConfig.desired(p));
    if (JwtSecret.generated(p)) out.add(JwtSecret.desired(p, existingJwtKey));
    if (DaprAppToken.wanted(p)) out.add(DaprAppToken.desired(p, existingDaprAppToken));
    if (d.usesCloudNativePG() && apis.cloudNativePG()) out.add(Database.cluster(p));
    out.add(AppDeployment.api(p));
    out.add(AppDeployment.worker(p));
    out.add(ApiService.desired(p));
    if (ApiIngress.wanted(p)) {
      out.add(ApiIngress.internalOnly(p));
      out.add(ApiIngress.desired(p));
    }
    if (Disruption.wanted(p)) {
      out.add(Disruption.api(p));
      out.add(Disruption.worker(p));
    }
    if (Autoscaling.apiHpaWanted(p)) out.add(Autoscaling.apiHpa(p));
    if (Autoscaling.workerAutoscaled(p)) {
      if (Autoscaling.workerUsesKeda(p, apis.keda())) {
        if (KafkaAuth.of(p).isPresent()) out.add(KafkaAuth.kedaTriggerAuthentication(p));
        out.add(Autoscaling.workerScaledObject(p));
      } else {
        out.add(Autoscaling.workerHpa(p));
      }
    }
    if (d.usesDapr() && apis.dapr()) {
      out.add(Dapr.configuration(p));
      out.add(Dapr.pubsub(p));
      out.add(Dapr.broadcastPubsub(p));
      out.add(Dapr.resiliency(p));
    }
    if (apis.prometheusOperator()) out.add(Monitoring.podMonitor(p));
    if (d.managesTopics() && apis.strimzi()) {
      out.addAll(Topics.desired(p));
      if (KafkaAuth.strimziUser(p)) out.add(KafkaAuth.kafkaUser(p));
    }
    return out;
  }
}
