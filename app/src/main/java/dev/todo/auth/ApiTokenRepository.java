package dev.todo.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApiTokenRepository extends CrudRepository<ApiToken, UUID> {

    Optional<ApiToken> findByTokenHash(byte[] tokenHash);

    List<ApiToken> findByUserIdOrderByCreatedAt(UUID userId);

    int deleteByIdAndUserId(UUID id, UUID userId);

    long countByUserId(UUID userId);

    List<ApiToken> findByIdIn(java.util.Collection<UUID> ids);

    /** Records use at most once a minute per token, so busy integrations do not write on every call. */
    @Query("update api_tokens set last_used_at = now() where id = :id and (last_used_at is null or last_used_at < now() - interval '1 minute')")
    int touch(UUID id);
}
