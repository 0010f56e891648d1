package dev.todo.events;

import io.cloudevents.CloudEvent;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.util.UUID;

/** The record of which consumer has acted on which event: the basis of idempotent consumers. */
@Singleton
public class ProcessedEvents {

    private final JdbcOperations jdbc;

    public ProcessedEvents(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records, in the caller's transaction, that {@code consumer} acts on {@code event}. Returns false
     * when it had already done so, in which case the caller must do nothing.
     */
    /**
     * For a consumer that claims a batch in the statement of its side effect: a common table
     * expression {@code claimed(event_id)} holding the ids of {@code from} (a CTE with an
     * {@code event_id} column) not claimed before. Takes one parameter, the consumer's name.
     */
    public static String claimedCte(String from) {
        return "claimed as (insert into processed_events (consumer, event_id) select ?, event_id from " + from
                + " on conflict do nothing returning event_id)";
    }

    public boolean claim(String consumer, CloudEvent event) {
        UUID id = UUID.fromString(event.getId());
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into processed_events (consumer, event_id) values (?, ?) on conflict do nothing")) {
                ps.setString(1, consumer);
                ps.setObject(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }
}
