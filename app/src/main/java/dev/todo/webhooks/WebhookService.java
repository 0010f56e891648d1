package dev.todo.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.events.Wakeups;
import dev.todo.web.ApiException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A user's webhooks and their deliveries; every query is scoped to the user. */
@Singleton
public class WebhookService {

    static final String CHANNEL = "todo_webhooks";
    private static final String WEBHOOK = "id, user_id, url, events, created_at";
    private static final String DELIVERY = "d.id, d.webhook_id, d.event_id, d.event_type, d.status, d.attempts, d.next_attempt_at,"
            + " d.last_attempt_at, d.last_response_code, d.last_error, d.outcomes::text, d.created_at, d.delivered_at,"
            + " d.created_at::text";

    private final Wakeups wakeups;
    private final JdbcOperations jdbc;
    private final ObjectMapper mapper;
    private final WebhookSettings settings;

    public WebhookService(JdbcOperations jdbc, ObjectMapper mapper, WebhookSettings settings, Wakeups wakeups) {
        this.jdbc = jdbc;
        this.wakeups = wakeups;
        this.mapper = mapper;
        this.settings = settings;
    }

    public record Webhook(UUID id, UUID userId, String url, List<String> events, Instant createdAt) {
        public View view() {
            return new View(id, url, events, createdAt);
        }
    }

    public record View(UUID id, String url, List<String> events, Instant createdAt) {
    }

    /** One attempt as recorded on its delivery. */
    public record Delivery(UUID id, UUID webhookId, UUID eventId, String eventType, String status, int attempts,
                           Instant nextAttemptAt, Instant lastAttemptAt, Integer lastResponseCode, String lastError,
                           JsonNode outcomes, Instant createdAt, Instant deliveredAt) {
    }

    public record Page(List<Delivery> items, List<String> lastKey) {
    }

    @Transactional
    public Webhook create(UUID userId, WebhookRegistration r) {
        // one registration at a time per user, so two concurrent ones cannot both pass the limit
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select 1 from users where id = ? for update")) {
                ps.setObject(1, userId);
                ps.executeQuery().close();
                return null;
            }
        });
        long count = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from webhooks where user_id = ?")) {
                ps.setObject(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        if (count >= settings.maxPerUser()) {
            throw ApiException.conflict("webhooks", "at most " + settings.maxPerUser() + " webhooks per user; delete one first");
        }
        return query("insert into webhooks (id, user_id, url, events, secret, created_at)"
                        + " values (?, ?, ?, ?, ?, clock_timestamp()) returning " + WEBHOOK, WebhookService::webhook,
                UUID.randomUUID(), userId, r.url().toString(), r.events(), r.secret()).get(0);
    }

    @Transactional(readOnly = true)
    public List<Webhook> list(UUID userId) {
        return query("select " + WEBHOOK + " from webhooks where user_id = ? order by created_at, id", WebhookService::webhook, userId);
    }

    @Transactional(readOnly = true)
    public Webhook get(UUID userId, UUID id) {
        List<Webhook> found = query("select " + WEBHOOK + " from webhooks where id = ? and user_id = ?", WebhookService::webhook,
                id, userId);
        if (found.isEmpty()) {
            throw ApiException.notFound("The webhook");
        }
        return found.get(0);
    }

    /** Deletes it with its deliveries: the pending ones are never sent. */
    @Transactional
    public void delete(UUID userId, UUID id) {
        int n = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from webhooks where id = ? and user_id = ?")) {
                ps.setObject(1, id);
                ps.setObject(2, userId);
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw ApiException.notFound("The webhook");
        }
    }

    /** Newest first; {@code after} is the (created_at text, id) of the last row of the previous page. */
    @Transactional(readOnly = true)
    public Page deliveries(UUID userId, UUID webhookId, int limit, List<String> after) {
        get(userId, webhookId);
        List<List<String>> keys = new ArrayList<>();
        String sql = "select " + DELIVERY + " from webhook_deliveries d where d.webhook_id = ?"
                + (after == null ? "" : " and (d.created_at, d.id) < (cast(? as timestamptz), cast(? as uuid))")
                + " order by d.created_at desc, d.id desc limit ?";
        List<Object> args = new ArrayList<>(List.of(webhookId));
        if (after != null) {
            args.addAll(after);
        }
        args.add(limit + 1);
        List<Delivery> items = query(sql, rs -> {
            keys.add(List.of(rs.getString(14), rs.getObject(1, UUID.class).toString()));
            return delivery(rs);
        }, args.toArray());
        List<String> last = null;
        if (items.size() > limit) {
            last = keys.get(limit - 1);
            items = items.subList(0, limit);
        }
        return new Page(List.copyOf(items), last);
    }

    @Transactional(readOnly = true)
    public Delivery delivery(UUID userId, UUID webhookId, UUID deliveryId) {
        get(userId, webhookId);
        List<Delivery> found = query("select " + DELIVERY + " from webhook_deliveries d where d.id = ? and d.webhook_id = ?",
                this::delivery, deliveryId, webhookId);
        if (found.isEmpty()) {
            throw ApiException.notFound("The delivery");
        }
        return found.get(0);
    }

    /**
     * Queues the delivery again, due now, with a fresh set of attempts; its recorded outcomes are
     * kept. Refused while an attempt is under way.
     */
    @Transactional
    public Delivery redeliver(UUID userId, UUID webhookId, UUID deliveryId) {
        Delivery current = delivery(userId, webhookId, deliveryId);
        List<Delivery> updated = query("update webhook_deliveries d set status = 'pending', attempts = 0, claim = null,"
                        + " next_attempt_at = clock_timestamp(), delivered_at = null"
                        + " where d.id = ? and not (d.status = 'sending' and d.next_attempt_at > clock_timestamp())"
                        + " returning " + DELIVERY, this::delivery, deliveryId);
        if (updated.isEmpty()) {
            throw new ApiException(HttpStatus.CONFLICT, "delivery-in-progress", "Delivery in progress",
                    "Delivery " + current.id() + " is being attempted right now; ask again when the attempt has finished.", List.of());
        }
        wakeups.afterCommit(CHANNEL);
        return updated.get(0);
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... params) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    if (params[i] instanceof List<?> list) {
                        ps.setArray(i + 1, c.createArrayOf("text", list.toArray()));
                    } else {
                        ps.setObject(i + 1, params[i]);
                    }
                }
                List<T> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row.map(rs));
                    }
                }
                return out;
            }
        });
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        Array events = rs.getArray(4);
        return new Webhook(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                List.copyOf(Arrays.asList((String[]) events.getArray())), instant(rs, 5));
    }

    private Delivery delivery(ResultSet rs) throws SQLException {
        JsonNode outcomes;
        try {
            outcomes = mapper.readTree(rs.getString(11));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored outcomes are not JSON", e);
        }
        String status = rs.getString(5);
        int code = rs.getInt(9);
        Integer lastCode = rs.wasNull() ? null : code;
        return new Delivery(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                status, rs.getInt(6),
                // while sending, next_attempt_at is when the claim lapses, not a planned attempt
                status.equals("pending") ? instant(rs, 7) : null,
                instant(rs, 8), lastCode, rs.getString(10), outcomes, instant(rs, 12), instant(rs, 13));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime v = rs.getObject(column, OffsetDateTime.class);
        return v == null ? null : v.toInstant();
    }
}
