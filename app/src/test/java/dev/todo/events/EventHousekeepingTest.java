package dev.todo.events;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventHousekeepingTest {

    private final ApplicationContext ctx = TestApp.server().getApplicationContext();

    @SuppressWarnings("unchecked")
    private long sql(String sql) {
        TransactionOperations<Connection> tx = ctx.getBean(TransactionOperations.class);
        return tx.executeWrite(s -> {
            try (Statement st = s.getConnection().createStatement()) {
                if (st.execute(sql)) {
                    try (ResultSet rs = st.getResultSet()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
                return (long) st.getUpdateCount();
            }
        });
    }

    @Test
    void removesOnlyPublishedRowsAndProcessedRecordsPastTheirRetention() {
        Api user = TestApp.api().newUser();
        String me = user.get("/api/me").json().get("id").asText();
        String task = UUID.randomUUID().toString();
        String values = "(gen_random_uuid(), 'task.updated', 'hk-" + task + "', '" + task + "', '" + me + "', now(), '{}'::jsonb, ";
        sql("insert into outbox (id, type, topic, subject, user_id, time, data, published_at) values "
                + values + "now() - interval '8 days'), " + values + "now() - interval '1 day')");
        // never published: kept however old, the relay still owes it
        sql("insert into outbox (id, type, topic, subject, user_id, time, data, published_at) values " + values + "null)");
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        sql("insert into processed_events (consumer, event_id, processed_at) values ('hk', '" + old + "', now() - interval '31 days'),"
                + " ('hk', '" + recent + "', now() - interval '29 days')");

        ctx.getBean(EventHousekeeping.class).run();

        assertThat(sql("select count(*) from outbox where topic = 'hk-" + task + "'")).isEqualTo(2);
        assertThat(sql("select count(*) from outbox where topic = 'hk-" + task + "' and published_at < now() - interval '2 days'")).isZero();
        assertThat(sql("select count(*) from processed_events where consumer = 'hk'")).isEqualTo(1);
        assertThat(sql("select count(*) from processed_events where consumer = 'hk' and event_id = '" + recent + "'")).isEqualTo(1);
    }
}
