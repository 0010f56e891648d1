package dev.todo.reminders;

import dev.todo.events.Retained;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Notifications are kept {@code todo.retention.notifications} after they fired, read or not. */
@Singleton
public record NotificationRetention(@Value("${todo.retention.notifications:90d}") Duration retention) implements Retained {

    @Override
    public String what() {
        return "notifications";
    }

    @Override
    public String deleteChunk() {
        return "delete from notifications where id in (select id from notifications where fired_at < now() - ?::interval limit ?)";
    }
}
