package dev.todo.db;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Readiness of the embedded PostgreSQL, answered from what the application knows about its own
 * server rather than from a connection attempt: DOWN at once when the server has died (while it
 * is being started again, or after giving up), where a pool checkout would first wait for its
 * timeout. Present only when the application runs its own database.
 */
@Singleton
@Requires(beans = LocalDefaults.Resolved.class)
final class EmbeddedDatabaseHealth implements HealthIndicator {

    private final CompletableFuture<EmbeddedDatabase> database;

    EmbeddedDatabaseHealth(LocalDefaults.Resolved local) {
        this.database = local.database();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromSupplier(this::result);
    }

    private HealthResult result() {
        Map<String, Object> details = new LinkedHashMap<>();
        if (database == null) {
            return HealthResult.builder("embeddedPostgres", HealthStatus.UP).details(Map.of("external", true)).build();
        }
        if (!database.isDone()) {
            details.put("state", "STARTING");
            return HealthResult.builder("embeddedPostgres", HealthStatus.DOWN).details(details).build();
        }
        if (database.isCompletedExceptionally()) {
            details.put("state", "FAILED");
            return HealthResult.builder("embeddedPostgres", HealthStatus.DOWN).details(details).build();
        }
        EmbeddedDatabase db = database.join();
        EmbeddedDatabase.State state = db.state();
        details.put("state", state.name());
        details.put("flavour", db.flavour());
        details.put("dataDirectory", db.cluster().toString());
        String problem = db.problem();
        if (problem != null) {
            details.put("problem", problem);
        }
        if (db.lastOutage() != null) {
            details.put("lastOutage", db.lastOutage());
        }
        HealthStatus status = state == EmbeddedDatabase.State.RUNNING ? HealthStatus.UP : HealthStatus.DOWN;
        return HealthResult.builder("embeddedPostgres", status).details(details).build();
    }
}
