package dev.todo.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/** bcrypt; the cost is configurable because tests and benchmarks create many users. */
@Singleton
public class PasswordHasher {

    private final int cost;
    private final String dummyHash;

    public PasswordHasher(@Value("${todo.auth.bcrypt-cost:11}") int cost) {
        this.cost = cost;
        this.dummyHash = hash("not-a-real-password");
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean verify(String password, String hash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends the same time as a real check, so a missing user cannot be told apart by timing. */
    public void verifyNothing(String password) {
        verify(password, dummyHash);
    }
}
