package dev.todo.events;

import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The outbox backlog gauges read what is unpublished, with the relay off so nothing drains it. */
class OutboxBacklogTest {

    @Test
    void countsUnpublishedEventsAndTheAgeOfTheOldest() throws Exception {
        Map<String, Object> props = new HashMap<>(TestApp.properties("outbox_backlog"));
        props.put("todo.events.relay.enabled", false);
        props.put("todo.events.backlog-interval", "1h");
        try (ApplicationContext ctx = ApplicationContext.run(props, "test")) {
            OutboxBacklog backlog = ctx.getBean(OutboxBacklog.class);
            MeterRegistry meters = ctx.getBean(MeterRegistry.class);
            DataSource ds = TestApp.dataSource(ctx);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("delete from outbox");
                backlog.measure();
                assertThat(backlog.pending()).isZero();
                assertThat(meters.get("todo.events.outbox.oldest.age").gauge().value()).isZero();

                st.execute("insert into outbox (id, type, topics, subject, user_id, time, data) values"
                        + " (gen_random_uuid(), 'task.created', '{task-events}', gen_random_uuid(), gen_random_uuid(), now() - interval '10 minutes', '{}'),"
                        + " (gen_random_uuid(), 'task.created', '{task-events}', gen_random_uuid(), gen_random_uuid(), now() - interval '1 minute', '{}'),"
                        + " (gen_random_uuid(), 'task.created', '{task-events}', gen_random_uuid(), gen_random_uuid(), now() - interval '1 hour', '{}')");
                st.execute("update outbox set published_at = now() where time < now() - interval '30 minutes'");
                backlog.measure();
            }
            assertThat(meters.get("todo.events.outbox.pending").gauge().value()).isEqualTo(2.0);
            // the oldest unpublished one (10 minutes), not the older published one
            assertThat(meters.get("todo.events.outbox.oldest.age").gauge().value()).isCloseTo(600.0, within(30.0));
        }
    }
}
