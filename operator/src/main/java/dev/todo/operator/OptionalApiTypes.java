package dev.todo.operator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Untyped stand-ins registered with the client for the optional APIs. JOSDK builds an informer for
 * an optional dependent even while its activation condition is false, and the client would resolve
 * the resource by API discovery, which fails when the API is not installed. Registered types are
 * resolved from these annotations instead.
 */
public final class OptionalApiTypes {
  private OptionalApiTypes() {}

  public static void register(KubernetesClient client) {
    for (var type : new Class<?>[] {DaprComponent.class, DaprResiliency.class, DaprConfiguration.class,
        KedaScaledObject.class, CnpgCluster.class, PodMonitor.class}) {
      @SuppressWarnings("unchecked")
      var t = (Class<? extends GenericKubernetesResource>) type;
      client.getKubernetesSerialization().registerKubernetesResource(t);
    }
  }

  @Group("dapr.io") @Version("v1alpha1") @Kind("Component") @Plural("components")
  public static class DaprComponent extends GenericKubernetesResource implements Namespaced {}

  @Group("dapr.io") @Version("v1alpha1") @Kind("Resiliency") @Plural("resiliencies")
  public static class DaprResiliency extends GenericKubernetesResource implements Namespaced {}

  @Group("dapr.io") @Version("v1alpha1") @Kind("Configuration") @Plural("configurations")
  public static class DaprConfiguration extends GenericKubernetesResource implements Namespaced {}

  @Group("keda.sh") @Version("v1alpha1") @Kind("ScaledObject") @Plural("scaledobjects")
  public static class KedaScaledObject extends GenericKubernetesResource implements Namespaced {}

  @Group("postgresql.cnpg.io") @Version("v1") @Kind("Cluster") @Plural("clusters")
  public static class CnpgCluster extends GenericKubernetesResource implements Namespaced {}

  @Group("monitoring.coreos.com") @Version("v1") @Kind("PodMonitor") @Plural("podmonitors")
  public static class PodMonitor extends GenericKubernetesResource implements Namespaced {}
}
