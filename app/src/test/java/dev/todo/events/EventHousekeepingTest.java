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
        String values = "(gen_random_uuid(), 'task.updated', array['hk-" + task + "'], '" + task + "', '" + me + "', now(), '{}'::jsonb, ";
        sql("insert into outbox (id, type, topics, subject, user_id, time, data, published_at) values "
                + values + "now() - interval '8 days'), " + values + "now() - interval '1 day')");
        // never published: kept however old, the relay still owes it
        sql("insert into outbox (id, type, topics, subject, user_id, time, data, published_at) values " + values + "null)");
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        sql("insert into processed_events (consumer, event_id, processed_at) values ('hk', '" + old + "', now() - interval '31 days'),"
                + " ('hk', '" + recent + "', now() - interval '29 days')");

        ctx.getBean(EventHousekeeping.class).run();

        assertThat(sql("select count(*) from outbox where 'hk-" + task + "' = any(topics)")).isEqualTo(2);
        assertThat(sql("select count(*) from outbox where 'hk-" + task + "' = any(topics) and published_at < now() - interval '2 days'")).isZero();
        assertThat(sql("select count(*) from processed_events where consumer = 'hk'")).isEqualTo(1);
        assertThat(sql("select count(*) from processed_events where consumer = 'hk' and event_id = '" + recent + "'")).isEqualTo(1);
    }

    @Test
    void featureTablesArePrunedPastTheirRetentionInChunks() {
        Api user = TestApp.api().newUser();
        String me = user.get("/api/me").json().get("id").asText();
        String tag = UUID.randomUUID().toString();
        // activity: kept 400 days
        sql("insert into activity (id, event_id, user_id, task_id, type, time, data) values"
                + " (gen_random_uuid(), gen_random_uuid(), '" + me + "', null, 'hk-" + tag + "', now() - interval '401 days', '{}'),"
                + " (gen_random_uuid(), gen_random_uuid(), '" + me + "', null, 'hk-" + tag + "', now() - interval '399 days', '{}')");
        // notifications: kept 90 days after firing
        sql("insert into notifications (id, user_id, title, fire_at, fired_at) values"
                + " (gen_random_uuid(), '" + me + "', 'hk-" + tag + "', now() - interval '91 days', now() - interval '91 days'),"
                + " (gen_random_uuid(), '" + me + "', 'hk-" + tag + "', now() - interval '89 days', now() - interval '89 days')");
        // webhook deliveries: finished ones kept 30 days; pending ones always
        String hook = UUID.randomUUID().toString();
        sql("insert into webhooks (id, user_id, url, events, secret, created_at) values ('" + hook + "', '" + me
                + "', 'https://example.org/hk', '{*}', 's', now())");
        String d = "(gen_random_uuid(), '" + hook + "', gen_random_uuid(), 'hk', '{}', ";
        sql("insert into webhook_deliveries (id, webhook_id, event_id, event_type, payload, status, created_at) values "
                + d + "'delivered', now() - interval '31 days'), " + d + "'failed', now() - interval '31 days'), "
                + d + "'pending', now() - interval '31 days'), " + d + "'delivered', now() - interval '29 days')");
        // dead letters: kept 90 days
        sql("insert into dead_letters (id, consumer, topic, event_id, event_type, event, error, attempts, failed_at) values"
                + " (gen_random_uuid(), 'hk-" + tag + "', 't', gen_random_uuid(), 'x', '{}', 'e', 1, now() - interval '91 days'),"
                + " (gen_random_uuid(), 'hk-" + tag + "', 't', gen_random_uuid(), 'x', '{}', 'e', 1, now() - interval '89 days')");

        ctx.getBean(EventHousekeeping.class).run();

        assertThat(sql("select count(*) from activity where type = 'hk-" + tag + "'")).isEqualTo(1);
        assertThat(sql("select count(*) from notifications where title = 'hk-" + tag + "'")).isEqualTo(1);
        assertThat(sql("select count(*) from webhook_deliveries where webhook_id = '" + hook + "'")).isEqualTo(2);
        assertThat(sql("select count(*) from webhook_deliveries where webhook_id = '" + hook + "' and status = 'pending'")).isEqualTo(1);
        assertThat(sql("select count(*) from dead_letters where consumer = 'hk-" + tag + "'")).isEqualTo(1);
    }
}
