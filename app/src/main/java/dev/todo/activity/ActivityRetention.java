package dev.todo.activity;

import dev.todo.events.Retained;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Activity entries are kept {@code todo.retention.activity} (completion stats read them too). */
@Singleton
public record ActivityRetention(@Value("${todo.retention.activity:400d}") Duration retention) implements Retained {

    @Override
    public String what() {
        return "activity entries";
    }

    @Override
    public String deleteChunk() {
        return "delete from activity where id in (select id from activity where time < now() - ?::interval limit ?)";
    }
}
