package dev.todo.webhooks;

import dev.todo.events.Retained;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Finished webhook deliveries (delivered or failed) are kept {@code todo.retention.webhook-deliveries}; pending ones always. */
@Singleton
public record DeliveryRetention(@Value("${todo.retention.webhook-deliveries:30d}") Duration retention) implements Retained {

    @Override
    public String what() {
        return "finished webhook deliveries";
    }

    @Override
    public String deleteChunk() {
        return "delete from webhook_deliveries where id in (select id from webhook_deliveries where status in ('delivered', 'failed')"
                + " and created_at < now() - ?::interval limit ?)";
    }
}
