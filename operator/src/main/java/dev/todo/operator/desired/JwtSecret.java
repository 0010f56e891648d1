package dev.todo.operator.desired;

import dev.todo.operator.model.SecretRef;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** The generated JWT signing key: created once, then the existing value is kept forever. */
public final class JwtSecret {
  public static final String KEY = "secret";
  private static final SecureRandom RANDOM = new SecureRandom();

  private JwtSecret() {}

  public static boolean generated(TodoPlatform p) {
    return p.getSpec() == null || p.getSpec().getAuth() == null || p.getSpec().getAuth().getJwtSecretRef() == null;
  }

  /** The Secret name and key the app reads its signing key from. */
  public static SecretRef reference(TodoPlatform p) {
    if (generated(p)) {
      SecretRef ref = new SecretRef(Names.jwtSecret(p));
      ref.setKey(KEY);
      return ref;
    }
    SecretRef user = p.getSpec().getAuth().getJwtSecretRef();
    SecretRef ref = new SecretRef(user.getName());
    ref.setKey(user.getKey() == null ? KEY : user.getKey());
    return ref;
  }

  /** @param existingKeyBase64 the value already stored, if the Secret exists */
  public static Secret desired(TodoPlatform p, Optional<String> existingKeyBase64) {
    String value = existingKeyBase64.orElseGet(JwtSecret::newKeyBase64);
    return new SecretBuilder()
        .withNewMetadata()
        .withName(Names.jwtSecret(p)).withNamespace(p.getMetadata().getNamespace())
        .withLabels(Labels.of(p, "auth"))
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of(KEY, value))
        .build();
  }

  /** 48 random bytes, encoded as 64 URL-safe characters (the app needs at least 32). */
  static String newKeyBase64() { return randomTextBase64(48); }

  /**
   * {@code n} random bytes as URL-safe text, base64-encoded again for a Secret's data: the
   * consumer reads printable characters, never raw bytes.
   */
  static String randomTextBase64(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
