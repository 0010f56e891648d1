package dev.todo.auth;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Accepts personal API tokens as bearer tokens; JWTs are left to the JWT validator. */
@Singleton
public class PersonalTokenValidator implements TokenValidator<HttpRequest<?>> {

    private final PersonalTokens tokens;
    private final ExecutorService blocking;

    public PersonalTokenValidator(PersonalTokens tokens, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.tokens = tokens;
        this.blocking = blocking;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        if (token == null || !token.startsWith(PersonalTokens.PREFIX)) {
            return Publishers.empty();
        }
        // the lookup is JDBC: keep it off the event loop
        // the token's id and expiry go along, so what is opened with it (a live stream) can end with it
        return Publishers.fromCompletableFuture(() -> CompletableFuture.supplyAsync(() -> tokens.verifyToken(token)
                .map(t -> {
                    Map<String, Object> attributes = new HashMap<>();
                    attributes.put("via", "personal-token");
                    attributes.put("tokenId", t.id().toString());
                    if (t.expiresAt() != null) {
                        attributes.put("tokenExpiresAt", t.expiresAt().toString());
                    }
                    return Authentication.build(t.userId().toString(), List.of(), attributes);
                })
                .orElse(null), blocking));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
