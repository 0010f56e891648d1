package dev.todo.operator.desired;

import dev.todo.operator.model.CloudNativePGSpec;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.Map;

/** A CloudNativePG Cluster with one application database; CNPG generates the {@code <cluster>-app} Secret. */
public final class Database {
  public static final String CNPG_API_VERSION = "postgresql.cnpg.io/v1";

  private Database() {}

  public static GenericKubernetesResource cluster(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    CloudNativePGSpec c = p.getSpec().getDatabase().getCloudNativePG();
    Map<String, Object> storage = new LinkedHashMap<>();
    storage.put("size", c.getStorageSize() != null ? c.getStorageSize() : d.cloud() ? "10Gi" : "1Gi");
    if (c.getStorageClass() != null) {
      storage.put("storageClass", c.getStorageClass());
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("instances", c.getInstances() != null ? c.getInstances() : d.cloud() ? 3 : 1);
    spec.put("storage", storage);
    spec.put("bootstrap", Map.of("initdb", Dapr.ordered("database", "todo", "owner", "todo")));
    if (d.cloud()) {
      spec.put("affinity", Map.of("topologyKey", "topology.kubernetes.io/zone"));
    }
    return Generic.resource(CNPG_API_VERSION, "Cluster", Names.database(p), p.getMetadata().getNamespace(),
        Labels.of(p, "database"), spec);
  }
}
