package dev.todo.events;

import dev.todo.db.EmbeddedDatabase;
import dev.todo.support.TestApp;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** V14 turns the outbox's rows per topic into one row per event, on a database that had events in it. */
class OutboxMigrationTest {

    @Test
    void rowsOfOneEventBecomeOneNamingItsTopics() throws SQLException {
        String url = TestApp.database().ensureDatabase("outbox_migration");
        Flyway.configure().dataSource(url, EmbeddedDatabase.USER, "").locations("classpath:db/migration").target("13.1")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url, EmbeddedDatabase.USER, ""); Statement s = c.createStatement()) {
            String event = "'task.updated', '00000000-0000-0000-0000-0000000000aa', '00000000-0000-0000-0000-0000000000bb', now(), '{}'";
            // a: published on both topics; b: published on task-events only, refused on task-updates;
            // c: one topic, unpublished; d: one topic, published
            s.execute("insert into outbox (seq, id, topic, type, subject, user_id, time, data, attempts, published_at) values"
                    + " (10, '00000000-0000-0000-0000-00000000000a', 'task-events', " + event + ", 0, '2026-01-01T00:00:01Z'),"
                    + " (11, '00000000-0000-0000-0000-00000000000a', 'task-updates', " + event + ", 1, '2026-01-01T00:00:02Z'),"
                    + " (12, '00000000-0000-0000-0000-00000000000b', 'task-events', " + event + ", 0, '2026-01-01T00:00:03Z'),"
                    + " (13, '00000000-0000-0000-0000-00000000000b', 'task-updates', " + event + ", 4, null),"
                    + " (14, '00000000-0000-0000-0000-00000000000c', 'reminders', " + event + ", 2, null),"
                    + " (15, '00000000-0000-0000-0000-00000000000d', 'task-updates', " + event + ", 0, '2026-01-01T00:00:05Z')");
        }

        Flyway.configure().dataSource(url, EmbeddedDatabase.USER, "").locations("classpath:db/migration").load().migrate();

        try (Connection c = DriverManager.getConnection(url, EmbeddedDatabase.USER, ""); Statement s = c.createStatement()) {
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select seq, right(id::text, 1), array_to_string(topics, ','), attempts,"
                    + " coalesce(to_char(published_at at time zone 'UTC', 'SS'), '-') from outbox order by seq")) {
                while (rs.next()) {
                    rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getInt(4) + " " + rs.getString(5));
                }
            }
            // an event keeps the seq of its last row (the one live streams gave out as its id)
            assertThat(rows).containsExactly(
                    "11 a task-events,task-updates 1 02",
                    "13 b task-events,task-updates 4 -",
                    "14 c reminders 2 -",
                    "15 d task-updates 0 05");
            assertThatThrownBy(() -> s.execute("insert into outbox (id, type, topics, subject, user_id, time, data) values"
                    + " ('00000000-0000-0000-0000-00000000000a', 'task.updated', '{task-events}', gen_random_uuid(), gen_random_uuid(), now(), '{}')"))
                    .as("one row per event").hasMessageContaining("outbox_id_key");
            assertThatThrownBy(() -> s.execute("insert into outbox (id, type, topics, subject, user_id, time, data) values"
                    + " (gen_random_uuid(), 'task.updated', '{}', gen_random_uuid(), gen_random_uuid(), now(), '{}')"))
                    .as("an event goes somewhere").hasMessageContaining("outbox_topics_named");
        }
    }
}
