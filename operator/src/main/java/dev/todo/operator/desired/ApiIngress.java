package dev.todo.operator.desired;

import dev.todo.operator.model.IngressSpec;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.util.List;

public final class ApiIngress {
  private ApiIngress() {}

  public static boolean wanted(TodoPlatform p) {
    return p.getSpec() != null && p.getSpec().getIngress() != null;
  }

  public static Ingress desired(TodoPlatform p) {
    IngressSpec spec = p.getSpec().getIngress();
    List<IngressTLS> tls = spec.getTlsSecretName() == null ? List.of()
        : List.of(new IngressTLSBuilder().withHosts(spec.getHost()).withSecretName(spec.getTlsSecretName()).build());
    return new IngressBuilder()
        .withNewMetadata().withName(Names.ingress(p)).withNamespace(p.getMetadata().getNamespace())
        .withLabels(Labels.of(p, AppDeployment.API)).endMetadata()
        .withNewSpec()
        .withIngressClassName(spec.getClassName())
        .withTls(tls)
        .addNewRule().withHost(spec.getHost())
        .withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
        .withNewBackend().withNewService().withName(Names.api(p)).withNewPort().withName("http").endPort()
        .endService().endBackend()
        .endPath().endHttp().endRule()
        .endSpec()
        .build();
  }
}
