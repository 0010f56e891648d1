package dev.todo.live;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Single-use stream tickets: a browser's EventSource cannot send an Authorization header, so the
 * page trades its token for a ticket and opens {@code /api/stream?ticket=...}. A ticket is 256
 * random bits, stored as a hash in the database (any API instance can redeem it) and deleted by the
 * redemption, so it works once; it expires after {@code todo.live.ticket-ttl}.
 */
@Singleton
public class StreamTickets {

    public static final String PREFIX = "todo_stk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcOperations jdbc;
    private final LiveSettings settings;

    private final int maxOpen;

    public StreamTickets(JdbcOperations jdbc, LiveSettings settings,
                         @io.micronaut.context.annotation.Value("${todo.quotas.open-tickets:20}") int maxOpen) {
        this.maxOpen = maxOpen;
        this.jdbc = jdbc;
        this.settings = settings;
    }

    public record Issued(String ticket, Instant expiresAt) {
    }

    /** A redeemed ticket: its user and the credential it was issued to. */
    public record Redeemed(UUID userId, StreamCredential credential) {
    }

    @Transactional
    public Issued issue(UUID userId, StreamCredential credential) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String ticket = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = Instant.now().plus(settings.ticketTtl()).truncatedTo(ChronoUnit.MICROS);
        jdbc.execute(c -> {
            // expired tickets are swept as new ones are issued; the expiry index keeps this cheap
            try (PreparedStatement sweep = c.prepareStatement("delete from stream_tickets where expires_at < now()");
                 PreparedStatement ps = c.prepareStatement("insert into stream_tickets (ticket_hash, user_id, expires_at,"
                         + " credential_kind, credential_expires_at, credential_token_id, credential_session_id) values (?, ?, ?, ?, ?, ?, ?)")) {
                sweep.executeUpdate();
                try (PreparedStatement count = c.prepareStatement("select count(*) from stream_tickets where user_id = ?")) {
                    count.setObject(1, userId);
                    try (java.sql.ResultSet rs = count.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) >= maxOpen) {
                            throw dev.todo.web.ApiException.quotaExceeded("tickets", "unredeemed stream tickets", maxOpen);
                        }
                    }
                }
                ps.setBytes(1, sha256(ticket));
                ps.setObject(2, userId);
                ps.setObject(3, expiresAt.atOffset(ZoneOffset.UTC));
                ps.setString(4, credential.kind());
                ps.setObject(5, credential.expiresAt() == null ? null : credential.expiresAt().atOffset(ZoneOffset.UTC), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setObject(6, credential.tokenId(), java.sql.Types.OTHER);
                ps.setObject(7, credential.sessionId(), java.sql.Types.OTHER);
                return ps.executeUpdate();
            }
        });
        return new Issued(ticket, expiresAt);
    }

    /** The ticket's user and credential if it is valid and unused; using it (even expired) removes it. */
    @Transactional
    public Optional<Redeemed> redeem(String ticket) {
        if (ticket == null || !ticket.startsWith(PREFIX) || ticket.length() > 100) {
            return Optional.empty();
        }
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from stream_tickets where ticket_hash = ?"
                    + " returning user_id, expires_at, credential_kind, credential_expires_at, credential_token_id, credential_session_id")) {
                ps.setBytes(1, sha256(ticket));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getObject(2, OffsetDateTime.class).toInstant().isAfter(Instant.now())) {
                        OffsetDateTime until = rs.getObject(4, OffsetDateTime.class);
                        String kind = rs.getString(3);
                        StreamCredential credential = new StreamCredential(kind == null ? "unknown" : kind,
                                until == null ? null : until.toInstant(), rs.getObject(5, UUID.class), rs.getObject(6, UUID.class));
                        return Optional.of(new Redeemed(rs.getObject(1, UUID.class), credential));
                    }
                    return Optional.empty();
                }
            }
        });
    }

    /** Whether the ticket would be redeemed now, without using it (for HEAD requests). */
    @Transactional(readOnly = true)
    public boolean isValid(String ticket) {
        if (ticket == null || !ticket.startsWith(PREFIX) || ticket.length() > 100) {
            return false;
        }
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select 1 from stream_tickets where ticket_hash = ? and expires_at > now()")) {
                ps.setBytes(1, sha256(ticket));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Of these web UI session ids, those that have logged out (their streams end at a heartbeat). */
    @Transactional(readOnly = true)
    public java.util.Set<UUID> endedSessions(java.util.Collection<UUID> ids) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select session_id from ui_ended_sessions where session_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                java.util.Set<UUID> out = new java.util.HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getObject(1, UUID.class));
                    }
                }
                return out;
            }
        });
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
