package dev.todo.events.dapr;

import dev.todo.events.EventTransports;
import dev.todo.web.FieldError;
import dev.todo.web.Problems;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * With Dapr's app API token set (APP_API_TOKEN in the app's environment), the sidecar sends it in
 * the {@code dapr-api-token} header of each call to the app; calls to /dapr/** without it are refused.
 * The comparison takes the same time whatever the header holds.
 */
@ServerFilter("/dapr/**")
@Requires(property = EventTransports.PROPERTY, value = EventTransports.DAPR)
public class DaprAppToken {

    static final String HEADER = "dapr-api-token";
    private final byte[] expected;

    public DaprAppToken(@Nullable @Value("${todo.dapr.app-api-token:}") String token) {
        this.expected = token == null || token.isEmpty() ? null : digest(token);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (expected == null) {
            return null;
        }
        String given = request.getHeaders().get(HEADER);
        if (given != null && MessageDigest.isEqual(expected, digest(given))) {
            return null;
        }
        String detail = given == null ? "The dapr-api-token header is missing." : "The dapr-api-token header does not match.";
        return Problems.respond(HttpResponse.status(HttpStatus.UNAUTHORIZED), Problems.body(HttpStatus.UNAUTHORIZED,
                "unauthorized", "Unauthorized", detail, List.of(new FieldError(HEADER, detail)), request));
    }

    /** Equal-length digests, so the comparison does not reveal the token's length either. */
    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
