package dev.todo.operator.desired;

import dev.todo.operator.model.AutoscalingSpec;
import dev.todo.operator.model.ComponentSpec;
import dev.todo.operator.model.EventsSpec;
import dev.todo.operator.model.ImageSpec;
import dev.todo.operator.model.KafkaSpec;
import dev.todo.operator.model.Profile;
import dev.todo.operator.model.TodoPlatform;
import dev.todo.operator.model.TodoPlatformSpec;
import dev.todo.operator.model.DeletionPolicy;
import dev.todo.operator.model.Transport;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.List;
import java.util.Optional;

/**
 * The spec with the profile's defaults filled in. Computed on every reconcile and never written
 * back to the TodoPlatform.
 */
public record Defaults(TodoPlatformSpec spec, Profile profile) {
  public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

  public static Defaults of(TodoPlatform p) {
    TodoPlatformSpec spec = p.getSpec() == null ? new TodoPlatformSpec() : p.getSpec();
    return new Defaults(spec, spec.getProfile() == null ? Profile.MINIKUBE : spec.getProfile());
  }

  public boolean cloud() { return profile == Profile.CLOUD; }

  private ImageSpec imageSpec() { return spec.getImage() == null ? new ImageSpec() : spec.getImage(); }

  /**
   * The spec's image, completed from the operator's default ({@link AppImage}): a repository alone
   * gets the release's tag (or digest, which is the same on a mirror), a tag alone the release's
   * repository; a digest wins over a tag.
   */
  public String image() {
    ImageSpec i = imageSpec();
    AppImage d = AppImage.defaultImage();
    if (i.getRepository() == null && i.getTag() == null && i.getDigest() == null) return d.reference();
    String repo = i.getRepository() == null ? d.repository() : i.getRepository();
    if (i.getDigest() != null) return repo + "@" + i.getDigest();
    if (i.getTag() != null) return repo + ":" + i.getTag();
    return new AppImage(repo, d.tag(), d.digest()).reference();
  }

  /** A label value must not contain ':' or '@': digests are left out. */
  public String imageVersionLabel() {
    ImageSpec i = imageSpec();
    if (i.getDigest() != null) return null;
    return i.getTag() != null ? i.getTag() : AppImage.defaultImage().tag();
  }

  public String pullPolicy() {
    var p = imageSpec().getPullPolicy();
    return p != null ? p.name() : cloud() ? "Always" : "IfNotPresent";
  }

  public List<String> pullSecrets() {
    return imageSpec().getPullSecrets() == null ? List.of() : imageSpec().getPullSecrets();
  }

  public ComponentSpec api() { return spec.getApi() == null ? new ComponentSpec() : spec.getApi(); }

  public ComponentSpec workers() { return spec.getWorkers() == null ? new ComponentSpec() : spec.getWorkers(); }

  public int replicas(ComponentSpec c) {
    return c.getReplicas() != null ? c.getReplicas() : cloud() ? 2 : 1;
  }

  public Optional<AutoscalingSpec> autoscaling(ComponentSpec c) { return Optional.ofNullable(c.getAutoscaling()); }

  /** The profile's lower bound never exceeds an explicit upper bound. */
  public int minReplicas(AutoscalingSpec a) {
    if (a.getMinReplicas() != null) return a.getMinReplicas();
    int profileMin = cloud() ? 2 : 1;
    return a.getMaxReplicas() == null ? profileMin : Math.min(profileMin, a.getMaxReplicas());
  }

  public int maxReplicas(AutoscalingSpec a) {
    return a.getMaxReplicas() == null ? Math.max(minReplicas(a), cloud() ? 10 : 3) : a.getMaxReplicas();
  }

  public int cpuTarget(AutoscalingSpec a) {
    return a.getTargetCPUUtilizationPercentage() == null ? 75 : a.getTargetCPUUtilizationPercentage();
  }

  public int lagThreshold(AutoscalingSpec a) { return a.getLagThreshold() == null ? 50 : a.getLagThreshold(); }

  public ResourceRequirements resources(ComponentSpec c) {
    if (c.getResources() != null) return c.getResources();
    return cloud()
        ? new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("512Mi"))
            .addToLimits("memory", new Quantity("1Gi")).build()
        : new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("256Mi"))
            .addToLimits("memory", new Quantity("512Mi")).build();
  }

  public Transport transport() {
    EventsSpec e = spec.getEvents();
    return e == null || e.getTransport() == null ? Transport.INPROCESS : e.getTransport();
  }

  public Optional<KafkaSpec> kafka() {
    return transport() == Transport.INPROCESS || spec.getEvents().getKafka() == null
        ? Optional.empty() : Optional.of(spec.getEvents().getKafka());
  }

  /** Strimzi names the bootstrap Service of cluster c {@code c-kafka-bootstrap}: plain listener 9092, authenticated 9093. */
  public Optional<String> bootstrapServers(String platformNamespace) {
    return kafka().map(k -> {
      if (k.getBootstrapServers() != null) return k.getBootstrapServers();
      if (k.getClusterRef() == null) return null;
      String ns = kafkaNamespace(platformNamespace);
      // an authenticated Strimzi listener is on another port than the plain one (9093 by convention)
      int port = k.getAuthentication() == null ? 9092
          : k.getAuthentication().getListenerPort() != null ? k.getAuthentication().getListenerPort() : KafkaAuth.DEFAULT_LISTENER_PORT;
      return k.getClusterRef().getName() + "-kafka-bootstrap." + ns + ".svc:" + port;
    });
  }

  public String kafkaNamespace(String platformNamespace) {
    return kafka().map(KafkaSpec::getClusterRef).map(c -> c.getNamespace() == null ? platformNamespace : c.getNamespace())
        .orElse(platformNamespace);
  }

  public boolean managesTopics() { return kafka().map(k -> k.getClusterRef() != null).orElse(false); }

  public int partitions() { return kafka().map(KafkaSpec::getPartitions).orElse(null) != null ? kafka().get().getPartitions() : cloud() ? 6 : 1; }

  public int topicReplicas() { return cloud() ? 3 : 1; }

  public long retentionMs() {
    return kafka().map(KafkaSpec::getRetentionMs).orElse(DEFAULT_RETENTION_MS);
  }

  /**
   * Topic names start with the prefix; {@code <namespace>.<name>.} when absent, so platforms that
   * share a Kafka cluster never share a topic. An explicit empty prefix means none.
   */
  public String topicPrefix(TodoPlatform p) {
    return kafka().map(KafkaSpec::getTopicPrefix)
        .orElse(p.getMetadata().getNamespace() + "." + p.getMetadata().getName() + ".");
  }

  /** Deleting a platform keeps its topics unless the spec says Delete. */
  public DeletionPolicy topicDeletionPolicy() {
    return kafka().map(KafkaSpec::getTopicDeletionPolicy).orElse(DeletionPolicy.Retain);
  }

  /** Deleting a platform keeps its CloudNativePG cluster (and data) unless the spec says Delete. */
  public DeletionPolicy databaseDeletionPolicy() {
    return usesCloudNativePG() && spec.getDatabase().getCloudNativePG().getDeletionPolicy() != null
        ? spec.getDatabase().getCloudNativePG().getDeletionPolicy() : DeletionPolicy.Retain;
  }

  public boolean usesDapr() { return transport() == Transport.DAPR; }

  public boolean usesCloudNativePG() {
    return spec.getDatabase() != null && spec.getDatabase().getCloudNativePG() != null;
  }
}
