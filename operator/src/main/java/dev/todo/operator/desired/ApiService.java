package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

public final class ApiService {
  public static final int PORT = 80;

  private ApiService() {}

  public static Service desired(TodoPlatform p) {
    return new ServiceBuilder()
        .withNewMetadata().withName(Names.api(p)).withNamespace(p.getMetadata().getNamespace())
        .withLabels(Labels.of(p, AppDeployment.API)).endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selector(p, AppDeployment.API))
        .addNewPort().withName("http").withPort(PORT).withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  /** Where the platform is reached: the ingress host, else the in-cluster Service. */
  public static String url(TodoPlatform p) {
    var ingress = p.getSpec() == null ? null : p.getSpec().getIngress();
    if (ingress != null && ingress.getHost() != null) {
      return (ingress.getTlsSecretName() != null ? "https://" : "http://") + ingress.getHost();
    }
    return "http://" + Names.api(p) + "." + p.getMetadata().getNamespace() + ".svc";
  }
}
