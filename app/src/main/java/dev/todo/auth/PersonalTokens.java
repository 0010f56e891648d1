package dev.todo.auth;

import dev.todo.db.QuotaLock;
import dev.todo.web.ApiException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import io.micronaut.context.event.ApplicationEventPublisher;

import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Personal API tokens. A token is 256 random bits, so a plain SHA-256 of it is as hard to
 * reverse as a slow password hash would be, and checking one costs a single indexed lookup.
 */
@Singleton
public class PersonalTokens {

    public static final String PREFIX = "todo_pat_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiTokenRepository repository;
    private final ApplicationEventPublisher<TokenRevoked> revocations;

    private final int maxTokens;

    private final JdbcOperations jdbc;

    public PersonalTokens(ApiTokenRepository repository, ApplicationEventPublisher<TokenRevoked> revocations, JdbcOperations jdbc,
                          @io.micronaut.context.annotation.Value("${todo.quotas.tokens:50}") int maxTokens) {
        this.jdbc = jdbc;
        this.maxTokens = maxTokens;
        this.repository = repository;
        this.revocations = revocations;
    }

    public record Issued(ApiToken token, String secret) {
    }

    @Transactional
    public Issued issue(UUID userId, String name, Instant expiresAt) {
        // tokens created at the same time count one after the other
        jdbc.execute(c -> {
            QuotaLock.TOKENS.take(c, userId);
            return null;
        });
        if (repository.countByUserId(userId) >= maxTokens) {
            throw ApiException.quotaExceeded("tokens", "personal tokens", maxTokens);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiToken token = new ApiToken(UUID.randomUUID(), userId, name, sha256(secret),
                secret.substring(0, PREFIX.length() + 6), Instant.now().truncatedTo(ChronoUnit.MICROS),
                expiresAt, null);
        return new Issued(repository.save(token), secret);
    }

    @Transactional(readOnly = true)
    public List<ApiToken> list(UUID userId) {
        return repository.findByUserIdOrderByCreatedAt(userId);
    }

    @Transactional
    public void revoke(UUID userId, UUID id) {
        if (repository.deleteByIdAndUserId(id, userId) == 0) {
            throw ApiException.notFound("The token");
        }
        // live streams opened with it end now (other instances notice at their next heartbeat)
        revocations.publishEvent(new TokenRevoked(userId, id));
    }

    /** Of these token ids, those that are no longer valid (revoked, so gone, or expired). */
    @Transactional(readOnly = true)
    public Set<UUID> invalid(Collection<UUID> ids) {
        Set<UUID> out = new HashSet<>(ids);
        Instant now = Instant.now();
        for (ApiToken t : repository.findByIdIn(ids)) {
            if (unexpired(t, now)) {
                out.remove(t.id());
            }
        }
        return out;
    }

    /** The valid, unexpired token of this secret (and records its use). */
    @Transactional
    public Optional<ApiToken> verifyToken(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return repository.findByTokenHash(sha256(secret))
                .filter(t -> unexpired(t, Instant.now()))
                .map(t -> {
                    repository.touch(t.id());
                    return t;
                });
    }

    private static boolean unexpired(ApiToken t, Instant now) {
        return t.expiresAt() == null || t.expiresAt().isAfter(now);
    }

    /** The owner of a valid, unexpired token. */
    @Transactional
    public Optional<UUID> verify(String secret) {
        return verifyToken(secret).map(ApiToken::userId);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
