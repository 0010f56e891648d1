package dev.todo.events;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health/liveness} (and {@code /health}) DOWN while a background loop is stalled. */
@Singleton
@Liveness
public class WorkersLiveness implements HealthIndicator {

    private final WorkerHealth workers;

    public WorkersLiveness(WorkerHealth workers) {
        this.workers = workers;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Duration> stalled = workers.stalled();
        Map<String, Object> details = new LinkedHashMap<>();
        stalled.forEach((w, d) -> details.put(w, "no round for " + d.toSeconds() + " s (allowed: " + workers.stallAfter().toSeconds() + " s)"));
        return Mono.just(HealthResult.builder("workers", stalled.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
