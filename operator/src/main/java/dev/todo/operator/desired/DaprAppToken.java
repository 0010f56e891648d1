package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * The app API token: the Dapr sidecar sends it in the dapr-api-token header of every call to the
 * app, which refuses calls to /dapr/** without it. Generated once, then the value in the cluster
 * is kept (deleting the Secret makes a new one; running pods keep the old value until restarted).
 */
public final class DaprAppToken {
  /** The key the Dapr sidecar injector reads from the Secret named in dapr.io/app-token-secret. */
  public static final String KEY = "token";
  /** The variable the sidecar reads the token from, and the app too. */
  public static final String ENV = "APP_API_TOKEN";

  private DaprAppToken() {}

  /** Wanted whenever the pods run with Dapr, whether or not Dapr is installed yet: they reference it. */
  public static boolean wanted(TodoPlatform p) { return Defaults.of(p).usesDapr(); }

  /** @param existingTokenBase64 the value already stored, if the Secret exists */
  public static Secret desired(TodoPlatform p, Optional<String> existingTokenBase64) {
    String value = existingTokenBase64.orElseGet(() -> JwtSecret.randomTextBase64(32));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(Names.daprAppToken(p)).withNamespace(p.getMetadata().getNamespace())
        .withLabels(Labels.of(p, "events"))
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of(KEY, value))
        .build();
  }
}
