package dev.todo.live;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The credential a live stream was opened with: the stream must not outlive it. {@code expiresAt}
 * is when it stops being valid (a JWT's {@code exp}, a personal token's optional expiry), null for
 * never; {@code tokenId} is the personal token's id (its revocation ends the stream), {@code sessionId}
 * the web UI session's (its logout ends the stream), null otherwise. A ticket carries the credential
 * it was issued to.
 */
public record StreamCredential(String kind, @Nullable Instant expiresAt, @Nullable UUID tokenId, @Nullable UUID sessionId) {

    public static final StreamCredential NONE = new StreamCredential("none", null, null, null);

    /** A web UI session: it ends at its expiry, or when it logs out (noticed at a heartbeat). */
    public static StreamCredential session(UUID sessionId, Instant expiresAt) {
        return new StreamCredential("ui-session", expiresAt, null, sessionId);
    }

    /** From the request's authentication: a personal token (see PersonalTokenValidator) or a JWT. */
    public static StreamCredential of(Authentication auth) {
        Object via = auth.getAttributes().get("via");
        if ("personal-token".equals(via)) {
            Object id = auth.getAttributes().get("tokenId");
            return new StreamCredential("personal-token", instant(auth.getAttributes().get("tokenExpiresAt")),
                    id == null ? null : UUID.fromString(id.toString()), null);
        }
        return new StreamCredential("jwt", instant(auth.getAttributes().get("exp")), null, null);
    }

    static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Date d) {
            return d.toInstant();
        }
        if (value instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue()); // JWT NumericDate: seconds
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Instant.parse(s);
            } catch (RuntimeException e) {
                try {
                    return Instant.ofEpochSecond(Long.parseLong(s));
                } catch (NumberFormatException ignored) {
                    return null;
                }
            }
        }
        return null;
    }
}
