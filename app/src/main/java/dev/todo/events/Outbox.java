package dev.todo.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Writes events in the caller's transaction (the transactional outbox), one row per event naming
 * every topic it goes to (the relay fans it out). Task lifecycle events go to the task-events topic
 * and, for live sync, to task-updates; reminder.due goes to reminders.
 * A change made through the assistant or an MCP client carries {@code via} ({@link Via}).
 */
@Singleton
public class Outbox {

    private final JdbcOperations jdbc;
    private final ObjectMapper mapper;
    private final Topics topics;
    private final Wakeups wakeups;

    /** The channel the relay waits on; {@link Wakeups} wakes it after a commit that wrote events. */
    static final String CHANNEL = "todo_outbox";

    public Outbox(JdbcOperations jdbc, ObjectMapper mapper, Topics topics, Wakeups wakeups) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.topics = topics;
        this.wakeups = wakeups;
    }

    /** Topic names, configurable: {@code todo.events.topics.*}. */
    @Singleton
    public record Topics(@Value("${todo.events.topics.task-events:task-events}") String taskEvents,
                         @Value("${todo.events.topics.reminders:reminders}") String reminders,
                         @Value("${todo.events.topics.task-updates:task-updates}") String taskUpdates) {
    }

    /**
     * For a feature that writes its events in the statement that causes them (the reminder
     * scheduler claims due reminders and announces them in one statement): an insert into the
     * outbox of what {@code select} returns, in the columns {@code id, type, topics, subject,
     * user_id, time, data}; {@code topics} is a {@code text[]} of the topics the event goes to.
     * A writer that commits on a connection of its own calls {@link #committed()} after the commit.
     */
    public static String insertFrom(String select) {
        return "insert into outbox (id, type, topics, subject, user_id, time, data) " + select;
    }

    /** After a commit that wrote events with {@link #insertFrom}: the relay looks at once rather than at its next poll. */
    public void committed() {
        wakeups.now(CHANNEL);
    }

    /** A task event ({@code type} without the {@code dev.todo.} prefix, e.g. {@code task.completed}). */
    public void task(String type, UUID taskId, UUID userId, Object data) {
        Via via = Via.current();
        if (via != null) {
            com.fasterxml.jackson.databind.node.ObjectNode withVia = mapper.valueToTree(data);
            withVia.set("via", mapper.valueToTree(via.json()));
            data = withVia;
        }
        write(UUID.randomUUID(), type, taskId, userId, data, List.of(topics.taskEvents(), topics.taskUpdates()));
    }

    /**
     * A change to one of the user's notifications, for live sync only ({@code notification.created},
     * {@code notification.read}): open pages update their bell without polling.
     */
    public void notification(String type, UUID subject, UUID userId, Object data) {
        write(UUID.randomUUID(), type, subject, userId, data, List.of(topics.taskUpdates()));
    }

    private void write(UUID id, String type, UUID subject, UUID userId, Object data, List<String> topicNames) {
        String json;
        try {
            json = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event data is not serialisable", e);
        }
        Instant time = Instant.now().truncatedTo(ChronoUnit.MICROS);
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into outbox (id, type, topics, subject, user_id, time, data)"
                    + " values (?, ?, ?, ?, ?, ?, cast(? as jsonb))")) {
                ps.setObject(1, id);
                ps.setString(2, type);
                ps.setArray(3, c.createArrayOf("text", topicNames.toArray()));
                ps.setObject(4, subject);
                ps.setObject(5, userId);
                ps.setObject(6, time.atOffset(ZoneOffset.UTC));
                ps.setString(7, json);
                return ps.executeUpdate();
            }
        });
        wakeups.afterCommit(CHANNEL);
    }
}
