package dev.todo.operator.desired;

import dev.todo.operator.model.TodoPlatform;

/**
 * Which Secret and keys hold the database connection. A user Secret has keys url (JDBC URL),
 * username and password; the Secret CloudNativePG generates has jdbc-uri, username and password.
 */
public record DatabaseConnection(String secretName, String urlKey, String usernameKey, String passwordKey) {
  public static final String USER_URL_KEY = "url";

  public static DatabaseConnection of(TodoPlatform p) {
    Defaults d = Defaults.of(p);
    if (d.usesCloudNativePG()) {
      return new DatabaseConnection(Names.databaseSecret(p), "jdbc-uri", "username", "password");
    }
    String secret = p.getSpec() != null && p.getSpec().getDatabase() != null && p.getSpec().getDatabase().getSecretRef() != null
        ? p.getSpec().getDatabase().getSecretRef().getName()
        : p.getMetadata().getName() + "-database";
    return new DatabaseConnection(secret, USER_URL_KEY, "username", "password");
  }
}
