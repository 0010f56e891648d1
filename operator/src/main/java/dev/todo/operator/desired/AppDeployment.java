package dev.todo.operator.desired;

import dev.todo.operator.model.AssistantSpec;
import dev.todo.operator.model.ComponentSpec;
import dev.todo.operator.model.SecretRef;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API and worker Deployments: the same image, different roles. */
public final class AppDeployment {
  public static final String API = "api";
  public static final String WORKER = "worker";
  /** The app image's non-root user; set explicitly so runAsNonRoot holds whatever the image declares. */
  public static final long APP_UID = 65532;
  static final String TMP_VOLUME = "tmp";

  private AppDeployment() {}

  public static Deployment api(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    return build(p, API, Names.api(p), "api", d.api());
  }

  public static Deployment worker(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    return build(p, WORKER, Names.worker(p), "worker,scheduler", d.workers());
  }

  /** The replicas the Deployment asks for: null (left to the autoscaler) when autoscaled. */
  static Integer replicas(Defaults d, ComponentSpec c) {
    return c.getAutoscaling() != null ? null : d.replicas(c);
  }

  private static Deployment build(TodoPlatform p, String component, String name, String roles, ComponentSpec c) {
    Defaults d = Defaults.of(p);
    String ns = p.getMetadata().getNamespace();
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("todo.dev/config-hash", AppConfig.hash(p));
    if (d.usesDapr()) {
      annotations.put("dapr.io/enabled", "true");
      annotations.put("dapr.io/app-id", name);
      annotations.put("dapr.io/app-port", String.valueOf(AppConfig.PORT));
      annotations.put("dapr.io/config", Names.daprConfig(p));
      annotations.put("dapr.io/sidecar-cpu-request", d.cloud() ? "100m" : "50m");
      annotations.put("dapr.io/sidecar-memory-request", d.cloud() ? "128Mi" : "64Mi");
      annotations.put("dapr.io/sidecar-memory-limit", d.cloud() ? "512Mi" : "256Mi");
      annotations.put("dapr.io/log-as-json", "true");
      // the injector gives the sidecar the token (as APP_API_TOKEN) to send to the app
      annotations.put("dapr.io/app-token-secret", Names.daprAppToken(p));
    }
    List<TopologySpreadConstraint> spread = d.cloud()
        ? List.of(spread(p, component, "topology.kubernetes.io/zone"), spread(p, component, "kubernetes.io/hostname"))
        : List.of();
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).withLabels(Labels.of(p, component)).endMetadata()
        .withNewSpec()
        .withReplicas(replicas(d, c))
        .withNewSelector().withMatchLabels(Labels.selector(p, component)).endSelector()
        .withNewTemplate()
        .withNewMetadata().withLabels(Labels.of(p, component)).withAnnotations(annotations).endMetadata()
        .withNewSpec()
        // restricted Pod Security: the app talks to no Kubernetes API, so it gets no token either
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true).withRunAsUser(APP_UID).withRunAsGroup(APP_UID).withFsGroup(APP_UID)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        .withImagePullSecrets(d.pullSecrets().stream().map(LocalObjectReference::new).toList())
        .withTopologySpreadConstraints(spread)
        .addNewContainer()
        .withName("app")
        .withImage(d.image())
        .withImagePullPolicy(d.pullPolicy())
        .addNewPort().withName("http").withContainerPort(AppConfig.PORT).withProtocol("TCP").endPort()
        .addNewEnvFrom().withNewConfigMapRef().withName(Names.configMap(p)).endConfigMapRef().endEnvFrom()
        .withEnv(env(p, component, roles, c))
        .withResources(d.resources(c))
        .withLivenessProbe(probe("/health/liveness", 30))
        .withReadinessProbe(probe("/health/readiness", 10))
        .withStartupProbe(new ProbeBuilder(probe("/health/liveness", 5)).withFailureThreshold(60).build())
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false).withRunAsNonRoot(true).withReadOnlyRootFilesystem(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        // the root filesystem is read-only: the JVM and Netty write their temporary files here
        .addNewVolumeMount().withName(TMP_VOLUME).withMountPath("/tmp").endVolumeMount()
        .endContainer()
        .addNewVolume().withName(TMP_VOLUME)
        .withNewEmptyDir().withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("256Mi")).endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static List<EnvVar> env(TodoPlatform p, String component, String roles, ComponentSpec c) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("TODO_ROLES").withValue(roles).build());
    DatabaseConnection db = DatabaseConnection.of(p);
    env.add(secretEnv("DATASOURCES_DEFAULT_URL", db.secretName(), db.urlKey()));
    env.add(secretEnv("DATASOURCES_DEFAULT_USERNAME", db.secretName(), db.usernameKey()));
    env.add(secretEnv("DATASOURCES_DEFAULT_PASSWORD", db.secretName(), db.passwordKey()));
    SecretRef jwt = JwtSecret.reference(p);
    env.add(secretEnv("TODO_AUTH_JWT_SECRET", jwt.getName(), jwt.getKey()));
    if (DaprAppToken.wanted(p)) {
      // the injector sets APP_API_TOKEN in the sidecar only: the app needs the same value to check it
      env.add(secretEnv(DaprAppToken.ENV, Names.daprAppToken(p), DaprAppToken.KEY));
    }
    env.addAll(KafkaAuth.appEnv(p));
    AssistantSpec assistant = p.getSpec().getAssistant();
    if (assistant != null && API.equals(component)) {
      // the chat runs in the API; the workers only prune old conversations and need no model
      env.add(new EnvVarBuilder().withName("TODO_ASSISTANT_BASE_URL").withValue(assistant.getBaseUrl()).build());
      env.add(new EnvVarBuilder().withName("TODO_ASSISTANT_MODEL").withValue(assistant.getModel()).build());
      if (assistant.getSecretRef() != null) {
        String key = assistant.getSecretRef().getKey() == null ? AssistantSpec.DEFAULT_KEY : assistant.getSecretRef().getKey();
        env.add(secretEnv("TODO_ASSISTANT_API_KEY", assistant.getSecretRef().getName(), key));
      }
    }
    if (c.getEnv() != null) {
      env.addAll(c.getEnv());
    }
    return env;
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
        .build();
  }

  private static Probe probe(String path, int period) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(period).withTimeoutSeconds(3).withFailureThreshold(3)
        .build();
  }

  private static TopologySpreadConstraint spread(TodoPlatform p, String component, String key) {
    return new TopologySpreadConstraintBuilder()
        .withMaxSkew(1).withTopologyKey(key).withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector().withMatchLabels(Labels.selector(p, component)).endLabelSelector()
        .build();
  }
}
