package dev.todo.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.todo.web.ApiException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The assistant_conversations table: one row per conversation, owned by one user. */
@Singleton
public class Conversations {

    /** {@code messages} is the transcript as LangChain4j JSON, {@code actions} a JSON array, {@code pending} null or an object. */
    public record Conversation(UUID id, UUID userId, String title, String messages, ArrayNode actions, JsonNode pending,
                               int version, Instant createdAt, Instant updatedAt) {
    }

    public record Summary(UUID id, String title, Instant createdAt, Instant updatedAt) {
    }

    private final JdbcOperations jdbc;
    private final ObjectMapper mapper;

    public Conversations(JdbcOperations jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    @Transactional(readOnly = true)
    public Optional<Conversation> find(UUID userId, UUID id) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select id, user_id, title, messages::text, actions::text, pending::text,"
                    + " version, created_at, updated_at from assistant_conversations where id = ? and user_id = ?")) {
                ps.setObject(1, id);
                ps.setObject(2, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    public Conversation get(UUID userId, UUID id) {
        return find(userId, id).orElseThrow(() -> ApiException.notFound("The conversation"));
    }

    @Transactional(readOnly = true)
    public List<Summary> list(UUID userId, int limit) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select id, title, created_at, updated_at from assistant_conversations"
                    + " where user_id = ? order by updated_at desc, id limit ?")) {
                ps.setObject(1, userId);
                ps.setInt(2, limit);
                List<Summary> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Summary(rs.getObject(1, UUID.class), rs.getString(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getObject(4, OffsetDateTime.class).toInstant()));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Inserts a new conversation ({@code version} 0) or updates one if it is still at {@code version};
     * a concurrent turn on the same conversation makes the later save fail with 409.
     */
    @Transactional
    public Conversation save(Conversation conv) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        boolean fresh = conv.version() == 0;
        int updated = jdbc.execute(c -> {
            String sql = fresh
                    ? "insert into assistant_conversations (messages, actions, pending, title, updated_at, created_at, id, user_id)"
                    + " values (cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), ?, ?, ?, ?, ?)"
                    : "update assistant_conversations set messages = cast(? as jsonb), actions = cast(? as jsonb),"
                    + " pending = cast(? as jsonb), title = ?, updated_at = ?, version = version + 1"
                    + " where version = ? and id = ? and user_id = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, conv.messages());
                ps.setString(2, json(conv.actions()));
                ps.setString(3, conv.pending() == null ? null : json(conv.pending()));
                ps.setString(4, conv.title());
                ps.setObject(5, at);
                if (fresh) {
                    ps.setObject(6, at);
                } else {
                    ps.setInt(6, conv.version());
                }
                ps.setObject(7, conv.id());
                ps.setObject(8, conv.userId());
                return ps.executeUpdate();
            }
        });
        if (updated == 0) {
            throw new ApiException(HttpStatus.CONFLICT, "conversation-busy", "Conversation changed",
                    "Another message in this conversation was answered meanwhile; reload it and send yours again.", List.of());
        }
        return new Conversation(conv.id(), conv.userId(), conv.title(), conv.messages(), conv.actions(), conv.pending(),
                conv.version() + 1, conv.version() == 0 ? now : conv.createdAt(), now);
    }

    @Transactional
    public void delete(UUID userId, UUID id) {
        int n = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from assistant_conversations where id = ? and user_id = ?")) {
                ps.setObject(1, id);
                ps.setObject(2, userId);
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw ApiException.notFound("The conversation");
        }
    }

    /** Deletes conversations untouched for longer than {@code retention}; returns how many. */
    @Transactional
    public int prune(Duration retention) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from assistant_conversations where updated_at < ?")) {
                ps.setObject(1, Instant.now().minus(retention).atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
    }

    private Conversation map(ResultSet rs) throws SQLException {
        try {
            String pending = rs.getString(6);
            return new Conversation(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                    (ArrayNode) mapper.readTree(rs.getString(5)), pending == null ? null : mapper.readTree(pending), rs.getInt(7),
                    rs.getObject(8, OffsetDateTime.class).toInstant(), rs.getObject(9, OffsetDateTime.class).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
