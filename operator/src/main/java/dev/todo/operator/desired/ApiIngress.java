package dev.todo.operator.desired;

import dev.todo.operator.model.IngressSpec;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * External access to what end users need: the web UI at {@code /}, the REST API and its live
 * stream under {@code /api}, the assistant's MCP endpoint under {@code /mcp}. The Dapr callbacks
 * ({@code /dapr/**}) and metrics ({@code /prometheus}) stay inside the cluster: the Ingress sends
 * them to a Service without endpoints, so they never reach the app from outside (an Ingress cannot
 * exclude a path from a prefix, only route it somewhere else; the longest prefix wins).
 */
public final class ApiIngress {
  /** Paths users reach, all on the API Service. */
  public static final List<String> PUBLIC_PATHS = List.of("/", "/api", "/mcp");
  /** Paths that stay inside the cluster. */
  public static final List<String> INTERNAL_PATHS = List.of("/dapr", "/prometheus");
  /** Long enough for a live stream (SSE) to stay open between the app's keep-alive comments. */
  static final String STREAM_TIMEOUT_SECONDS = "3600";

  private ApiIngress() {}

  public static boolean wanted(TodoPlatform p) {
    return p.getSpec() != null && p.getSpec().getIngress() != null;
  }

  /**
   * ingress-nginx buffers responses and closes idle upstream reads after 60 s by default, which
   * would hold back or cut the live stream (/api/stream); other controllers ignore these keys.
   */
  public static Map<String, String> annotations() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("nginx.ingress.kubernetes.io/proxy-buffering", "off");
    a.put("nginx.ingress.kubernetes.io/proxy-read-timeout", STREAM_TIMEOUT_SECONDS);
    a.put("nginx.ingress.kubernetes.io/proxy-send-timeout", STREAM_TIMEOUT_SECONDS);
    return a;
  }

  public static Ingress desired(TodoPlatform p) {
    IngressSpec spec = p.getSpec().getIngress();
    List<IngressTLS> tls = spec.getTlsSecretName() == null ? List.of()
        : List.of(new IngressTLSBuilder().withHosts(spec.getHost()).withSecretName(spec.getTlsSecretName()).build());
    List<HTTPIngressPath> paths = new java.util.ArrayList<>();
    PUBLIC_PATHS.forEach(path -> paths.add(path(path, Names.api(p), "http")));
    INTERNAL_PATHS.forEach(path -> paths.add(path(path, Names.internalOnly(p), "http")));
    return new IngressBuilder()
        .withNewMetadata().withName(Names.ingress(p)).withNamespace(p.getMetadata().getNamespace())
        .withLabels(Labels.of(p, AppDeployment.API)).withAnnotations(annotations()).endMetadata()
        .withNewSpec()
        .withIngressClassName(spec.getClassName())
        .withTls(tls)
        .addNewRule().withHost(spec.getHost())
        .withNewHttp().withPaths(paths).endHttp().endRule()
        .endSpec()
        .build();
  }

  /** The backend of the internal paths: a Service with no selector, hence no endpoints. */
  public static Service internalOnly(TodoPlatform p) {
    return new ServiceBuilder()
        .withNewMetadata().withName(Names.internalOnly(p)).withNamespace(p.getMetadata().getNamespace())
        .withLabels(Labels.of(p, "ingress")).endMetadata()
        .withNewSpec().withType("ClusterIP")
        .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  private static HTTPIngressPath path(String path, String service, String port) {
    return new HTTPIngressPathBuilder().withPath(path).withPathType("Prefix")
        .withNewBackend().withNewService().withName(service).withNewPort().withName(port).endPort()
        .endService().endBackend()
        .build();
  }
}
