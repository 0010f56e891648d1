package dev.todo.webhooks;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Webhook configuration, {@code todo.webhooks.*} (see application.yml for the environment variables). */
@Singleton
public record WebhookSettings(
        // private, loopback and link-local destinations are refused unless this is set (a cluster-internal receiver)
        @Value("${todo.webhooks.allow-private:false}") boolean allowPrivate,
        @Value("${todo.webhooks.max-per-user:20}") int maxPerUser,
        @Value("${todo.webhooks.max-attempts:8}") int maxAttempts,
        @Value("${todo.webhooks.first-retry-delay:10s}") Duration firstRetryDelay,
        @Value("${todo.webhooks.max-retry-delay:1h}") Duration maxRetryDelay,
        @Value("${todo.webhooks.connect-timeout:5s}") Duration connectTimeout,
        @Value("${todo.webhooks.request-timeout:10s}") Duration requestTimeout,
        @Value("${todo.webhooks.concurrency:8}") int concurrency) {

    /** The wait after failed attempt number {@code attempt} (1-based): the first delay, doubling, capped. */
    public Duration retryDelay(int attempt) {
        return dev.todo.events.Backoff.delay(firstRetryDelay, maxRetryDelay, attempt);
    }
}
