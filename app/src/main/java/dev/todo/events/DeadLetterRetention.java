package dev.todo.events;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Dead letters are kept {@code todo.retention.dead-letters} after their last failure, replayed or not. */
@Singleton
public record DeadLetterRetention(@Value("${todo.retention.dead-letters:90d}") Duration retention) implements Retained {

    @Override
    public String what() {
        return "dead letters";
    }

    @Override
    public String deleteChunk() {
        return "delete from dead_letters where id in (select id from dead_letters where failed_at < now() - ?::interval limit ?)";
    }
}
