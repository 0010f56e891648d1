package dev.todo.events;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox read as a user's log of events on one topic (the events that name it among their
 * topics), for features that replay what a client missed (live streams resume after Last-Event-ID).
 * Only {@code events/} reads the outbox table.
 */
@Singleton
public class OutboxLog {

    /** One event of the log, in the outbox's order ({@code seq}). */
    public record Entry(long seq, String type, UUID subject, Instant time, byte[] data) {
    }

    /** Where a client stands: when its last seen event was written, and when (if yet) it was published. */
    public record Position(Instant time, OffsetDateTime publishedAt) {
    }

    /** Entries read, and whether more followed than fitted in the bounds asked for. */
    public record Slice(List<Entry> entries, boolean more, boolean bytesExceeded) {
    }

    /**
     * How far the entries {@link #after} would return reach, counted without loading them: how many
     * (at most the bound asked for), the seq of the last one counted, and whether more followed than
     * fitted in the bounds.
     */
    public record Extent(int entries, long lastSeq, boolean more, boolean bytesExceeded) {
    }

    private final JdbcOperations jdbc;

    public OutboxLog(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Optional<Position> position(UUID userId, String topic, long seq) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select time, published_at from outbox where seq = ? and user_id = ? and ? = any(topics)")) {
                ps.setLong(1, seq);
                ps.setObject(2, userId);
                ps.setString(3, topic);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Position(rs.getObject(1, OffsetDateTime.class).toInstant(),
                            rs.getObject(2, OffsetDateTime.class))) : Optional.<Position>empty();
                }
            }
        });
    }

    /** The user's newest seq on the topic; null when there is none. */
    @Transactional(readOnly = true)
    public Long newest(UUID userId, String topic) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select max(seq) from outbox where user_id = ? and ? = any(topics)")) {
                ps.setObject(1, userId);
                ps.setString(2, topic);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
            }
        });
    }

    /**
     * The user's entries after {@code from}, in seq order, are those with a higher seq and also those
     * with a lower seq that went out after it: seqs are taken at insert and transactions commit in
     * another order, so a row can be published after one with a higher seq (it was still uncommitted
     * then). When the last seen row was published, such a row was published later or not yet; when it
     * was not marked yet, the rows of its batch with lower seqs were pushed before it, and nothing
     * later can be told apart. Of those, the ones with a seq in ({@code afterSeq}, {@code untilSeq}].
     */
    private static final String MISSED = " from outbox where user_id = ? and ? = any(topics) and (seq > ? or (cast(? as timestamptz)"
            + " is not null and (published_at is null or published_at > ?))) and seq > ? and seq <= ?";

    /** Seqs of missed entries (see {@link #MISSED}) with the running total of their data's size, at most {@code limit}. */
    private List<long[]> sizes(UUID userId, String topic, long from, OffsetDateTime fromPublished, long afterSeq, long untilSeq,
                               int limit) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select seq, sum(octet_length(data::text)) over (order by seq)"
                    + MISSED + " order by seq limit ?")) {
                ps.setObject(1, userId);
                ps.setString(2, topic);
                ps.setLong(3, from);
                ps.setObject(4, fromPublished);
                ps.setObject(5, fromPublished);
                ps.setLong(6, afterSeq);
                ps.setLong(7, untilSeq);
                ps.setInt(8, limit);
                List<long[]> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    }
                }
                return out;
            }
        });
    }

    /**
     * Counts the user's missed entries after {@code from} (at most {@code maxEntries} of them and
     * {@code maxBytes} of data), reading only their seqs and sizes: a caller can decide on a replay,
     * then read it page by page with {@link #page}.
     */
    @Transactional(readOnly = true)
    public Extent extent(UUID userId, String topic, long from, OffsetDateTime fromPublished, int maxEntries, long maxBytes) {
        int count = 0;
        long last = from;
        for (long[] row : sizes(userId, topic, from, fromPublished, 0, Long.MAX_VALUE, maxEntries + 1)) {
            if (count == maxEntries) {
                return new Extent(count, last, true, false);
            }
            if (row[1] > maxBytes) {
                return new Extent(count, last, true, true);
            }
            count++;
            last = row[0];
        }
        return new Extent(count, last, false, false);
    }

    /**
     * One page of the user's missed entries after {@code from}: those with a seq above {@code afterSeq}
     * and at most {@code untilSeq}, in seq order, at most {@code maxEntries} of them and
     * {@code maxBytes} of data, but always the first one (a single entry larger than a page still
     * goes out). {@code more} says whether entries up to {@code untilSeq} follow. The sizes are read
     * first, so no more than a page is ever loaded.
     */
    @Transactional(readOnly = true)
    public Slice page(UUID userId, String topic, long from, OffsetDateTime fromPublished, long afterSeq, long untilSeq,
                      int maxEntries, long maxBytes) {
        List<Long> seqs = new ArrayList<>();
        boolean more = false;
        boolean bytesExceeded = false;
        for (long[] row : sizes(userId, topic, from, fromPublished, afterSeq, untilSeq, maxEntries + 1)) {
            if (seqs.size() == maxEntries) {
                more = true;
                break;
            }
            if (row[1] > maxBytes && !seqs.isEmpty()) {
                more = true;
                bytesExceeded = true;
                break;
            }
            seqs.add(row[0]);
        }
        if (seqs.isEmpty()) {
            return new Slice(List.of(), false, false);
        }
        List<Entry> entries = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select seq, type, subject, time, data::text from outbox"
                    + " where seq = any(?) and user_id = ? and ? = any(topics) order by seq")) {
                ps.setArray(1, c.createArrayOf("bigint", seqs.toArray()));
                ps.setObject(2, userId);
                ps.setString(3, topic);
                List<Entry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class),
                                rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5).getBytes(StandardCharsets.UTF_8)));
                    }
                }
                return out;
            }
        });
        return new Slice(entries, more, bytesExceeded);
    }
}
