package dev.todo.events;

import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A transport that throws an Error (out of memory) on a batch: the relay counts the attempt, backs off and goes on. */
class RelayErrorTest {

    @Singleton
    @Replaces(InProcessTransport.class)
    @Requires(property = "todo.test.erroring-transport", value = "true")
    static class ErroringTransport implements EventTransport {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public int publish(List<Outgoing> batch) {
            if (calls.incrementAndGet() <= 3) {
                throw new OutOfMemoryError("simulated: Java heap space");
            }
            return batch.size();
        }
    }

    @Test
    void anErrorWhilePublishingIsAnAttemptNotTheEndOfTheRelay() throws Exception {
        try (OwnServer server = TestApp.ownServer("relay_error", Map.of("todo.test.erroring-transport", "true"))) {
            DataSource ds = server.dataSource();
            ErroringTransport transport = server.bean(ErroringTransport.class);
            Api user = server.api().newUser();
            String task = user.createTask("{\"title\":\"t\"}").get("id").asText();
            long[] row = await(Duration.ofSeconds(15), () -> row(ds, task), r -> r[1] == 1);
            assertThat(row[0]).as("attempts counted on the row").isGreaterThanOrEqualTo(3);
            assertThat(transport.calls.get()).isGreaterThan(3);
        }
    }

    /** {attempts, published (1/0)} of the task's created event. */
    private static long[] row(DataSource ds, String task) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select max(attempts), bool_and(published_at is not null)::int from outbox where subject = ?::uuid and type = 'task.created'")) {
            ps.setString(1, task);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
