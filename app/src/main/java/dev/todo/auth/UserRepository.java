package dev.todo.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserRepository extends CrudRepository<User, UUID> {

    @Query("select * from users where lower(username) = lower(:username)")
    Optional<User> findByUsernameIgnoreCase(String username);

    @Query("select time_zone from users where id = :id")
    Optional<String> findTimeZone(UUID id);
}
