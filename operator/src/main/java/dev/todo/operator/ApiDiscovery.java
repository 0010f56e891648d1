package dev.todo.operator;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import dev.todo.operator.desired.OptionalApis;

/**
 * Which optional APIs the cluster serves, found by API discovery (not by reading CRDs, which an
 * operator may not be allowed to list). A present API is remembered; an absent one is asked again
 * after a while, so installing Dapr or Strimzi later is picked up without a restart.
 */
public final class ApiDiscovery {
  public static final String DAPR = "dapr.io/v1alpha1";
  public static final String STRIMZI = "kafka.strimzi.io/v1";
  public static final String KEDA = "keda.sh/v1alpha1";
  public static final String CNPG = "postgresql.cnpg.io/v1";
  public static final String PROMETHEUS = "monitoring.coreos.com/v1";

  private static final Map<KubernetesClient, ApiDiscovery> BY_CLIENT = new WeakHashMap<>();
  static Duration recheckAbsentAfter = Duration.ofSeconds(Long.getLong("todo.discovery.recheck-seconds", 30));

  private final KubernetesClient client;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Instant> absentSince = new ConcurrentHashMap<>();
  private final Map<String, Boolean> present = new ConcurrentHashMap<>();

  private ApiDiscovery(KubernetesClient client) { this.client = client; }

  public static synchronized ApiDiscovery of(KubernetesClient client) {
    return BY_CLIENT.computeIfAbsent(client, ApiDiscovery::new);
  }

  public boolean serves(String groupVersion, String kind) {
    String key = groupVersion + "/" + kind;
    if (present.containsKey(key)) return true;
    Instant checked = absentSince.get(key);
    if (checked != null && checked.plus(recheckAbsentAfter).isAfter(clock.instant())) return false;
    boolean found;
    try {
      APIResourceList list = client.getApiResources(groupVersion);
      found = list != null && list.getResources() != null
          && list.getResources().stream().anyMatch(r -> kind.equals(r.getKind()));
    } catch (KubernetesClientException e) {
      found = false;
    }
    if (found) {
      present.put(key, true);
      absentSince.remove(key);
    } else {
      absentSince.put(key, clock.instant());
    }
    return found;
  }

  public boolean dapr() { return serves(DAPR, "Component"); }
  public boolean strimzi() { return serves(STRIMZI, "KafkaTopic"); }
  public boolean keda() { return serves(KEDA, "ScaledObject"); }
  public boolean cloudNativePG() { return serves(CNPG, "Cluster"); }
  public boolean prometheusOperator() { return serves(PROMETHEUS, "PodMonitor"); }

  public OptionalApis snapshot() {
    return new OptionalApis(dapr(), strimzi(), keda(), cloudNativePG(), prometheusOperator());
  }
}
