package dev.todo.ui;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * The web UI's session: a cookie holding {@code user|session|expiry} signed with a key derived from
 * the service's JWT secret, so every API replica can check it without shared session state. The
 * CSRF token is a second signature over the session id: it changes with each login and is useless
 * without the cookie. A logout records the session id in {@code ui_ended_sessions}, so the cookie
 * stops working at once on every replica.
 */
@Singleton
public class Sessions {

    public static final String COOKIE = "todo_session";
    static final Duration TTL = Duration.ofDays(14);

    public record Session(UUID userId, UUID id, Instant expiresAt) {
    }

    private final byte[] key;
    private final JdbcOperations jdbc;

    public Sessions(@Value("${todo.auth.jwt-secret}") String secret, JdbcOperations jdbc) {
        this.key = hmac(secret.getBytes(StandardCharsets.UTF_8), "todo-ui-session");
        this.jdbc = jdbc;
    }

    /** A new signed cookie value for the user. */
    public String issue(UUID userId) {
        return encode(new Session(userId, UUID.randomUUID(), Instant.now().plus(TTL)));
    }

    String encode(Session s) {
        String payload = s.userId() + "|" + s.id() + "|" + s.expiresAt().getEpochSecond();
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return body + "." + sign("session|" + body);
    }

    /** The session the request's cookie proves, if it is well signed, unexpired and not logged out. */
    @Transactional(readOnly = true)
    public Optional<Session> of(HttpRequest<?> request) {
        return request.getCookies().findCookie(COOKIE).map(Cookie::getValue).flatMap(this::decode).filter(s -> !ended(s.id()));
    }

    Optional<Session> decode(String value) {
        if (value == null || value.length() > 300) {
            return Optional.empty();
        }
        int dot = value.indexOf('.');
        if (dot < 1) {
            return Optional.empty();
        }
        String body = value.substring(0, dot);
        if (!MessageDigest.isEqual(sign("session|" + body).getBytes(StandardCharsets.US_ASCII),
                value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8).split("\\|");
            Session s = new Session(UUID.fromString(parts[0]), UUID.fromString(parts[1]), Instant.ofEpochSecond(Long.parseLong(parts[2])));
            return s.expiresAt().isAfter(Instant.now()) ? Optional.of(s) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The token every state-changing request of this session must carry. */
    public String csrf(Session s) {
        return sign("csrf|" + s.id());
    }

    public boolean csrfMatches(Session s, String token) {
        return token != null && MessageDigest.isEqual(csrf(s).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII));
    }

    @Transactional
    public void end(Session s) {
        jdbc.execute(c -> {
            try (PreparedStatement sweep = c.prepareStatement("delete from ui_ended_sessions where expires_at < now()");
                 PreparedStatement ps = c.prepareStatement("insert into ui_ended_sessions (session_id, expires_at) values (?, ?) on conflict do nothing")) {
                sweep.executeUpdate();
                ps.setObject(1, s.id());
                ps.setObject(2, s.expiresAt().atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
    }

    private boolean ended(UUID id) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select 1 from ui_ended_sessions where session_id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The session cookie: HttpOnly, SameSite=Lax, Secure when the request came over TLS (directly or via the proxy). */
    public static Cookie cookie(HttpRequest<?> request, String value, Duration maxAge) {
        return Cookie.of(COOKIE, value).httpOnly(true).sameSite(SameSite.Lax).path("/").secure(isSecure(request)).maxAge(maxAge);
    }

    static boolean isSecure(HttpRequest<?> request) {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
    }

    private String sign(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, text));
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
