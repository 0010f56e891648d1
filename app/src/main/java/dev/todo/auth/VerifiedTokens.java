package dev.todo.auth;

import com.nimbusds.jwt.JWT;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers access tokens (JWTs) that passed verification, keyed by the SHA-256 of the token, until
 * they expire: a client sending the same bearer token on every request pays for parsing, the HMAC
 * and the claims checks once. A JWT's validity depends only on its bytes, the signing key and the
 * clock, so an answer from here is the answer verification would give; the entry is dropped at the
 * token's expiry. A token that fails is not remembered (the JWT validator after this one refuses it).
 * Personal tokens are not cached here: they can be revoked.
 */
@Singleton
public class VerifiedTokens implements TokenValidator<HttpRequest<?>> {

    private record Entry(Authentication authentication, Instant expiresAt) {
    }

    private final ReactiveJsonWebTokenValidator<JWT, HttpRequest<?>> jwts;
    private final JwtAuthenticationFactory authentications;
    private final int capacity;
    private final Clock clock;
    private final Map<String, Entry> verified = new ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter misses;

    public VerifiedTokens(ReactiveJsonWebTokenValidator<JWT, HttpRequest<?>> jwts, JwtAuthenticationFactory authentications,
                          MeterRegistry meters, @Value("${todo.auth.verified-tokens:10000}") int capacity) {
        this(jwts, authentications, meters, capacity, Clock.systemUTC());
    }

    VerifiedTokens(ReactiveJsonWebTokenValidator<JWT, HttpRequest<?>> jwts, JwtAuthenticationFactory authentications,
                   MeterRegistry meters, int capacity, Clock clock) {
        this.jwts = jwts;
        this.authentications = authentications;
        this.capacity = capacity;
        this.clock = clock;
        this.hits = Counter.builder("todo.auth.verified.tokens").tag("outcome", "hit")
                .description("Bearer JWTs answered from the verified-token cache or verified afresh").register(meters);
        this.misses = Counter.builder("todo.auth.verified.tokens").tag("outcome", "miss")
                .description("Bearer JWTs answered from the verified-token cache or verified afresh").register(meters);
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        if (token == null || token.startsWith(PersonalTokens.PREFIX) || capacity <= 0) {
            return Mono.empty();
        }
        String key = hash(token);
        Instant now = clock.instant();
        Entry entry = verified.get(key);
        if (entry != null) {
            if (now.isBefore(entry.expiresAt())) {
                hits.increment();
                return Mono.just(entry.authentication());
            }
            verified.remove(key, entry);
        }
        misses.increment();
        return Mono.from(jwts.validate(token, request)).flatMap(jwt -> {
            Optional<Authentication> authentication = authentications.createAuthentication(jwt);
            if (authentication.isEmpty()) {
                return Mono.empty();
            }
            remember(key, jwt, authentication.get());
            return Mono.just(authentication.get());
        });
    }

    private void remember(String key, JWT jwt, Authentication authentication) {
        Date exp;
        try {
            exp = jwt.getJWTClaimsSet().getExpirationTime();
        } catch (java.text.ParseException e) {
            return;
        }
        if (exp == null) {
            return; // only tokens that end are remembered
        }
        Instant now = clock.instant();
        if (verified.size() >= capacity) {
            verified.values().removeIf(e -> !now.isBefore(e.expiresAt()));
            if (verified.size() >= capacity) {
                return; // full of live tokens: verify the rest each time rather than grow
            }
        }
        verified.put(key, new Entry(authentication, exp.toInstant()));
    }

    /** Whether {@code token} is remembered as verified and not yet expired. */
    boolean remembers(String token) {
        String key = hash(token);
        Entry entry = verified.get(key);
        if (entry != null && !clock.instant().isBefore(entry.expiresAt())) {
            verified.remove(key, entry);
            return false;
        }
        return entry != null;
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
