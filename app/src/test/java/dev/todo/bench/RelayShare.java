package dev.todo.bench;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The relay's share of an event's latency, for benchmarks: over the outbox rows bound for a topic
 * written since an instant, the time from the row's {@code time} (taken in the writing transaction,
 * just before commit) to its {@code published_at} (when the transport took it; in process, after the
 * consumers of its batch).
 */
record RelayShare(long rows, double p50Millis, double p99Millis, double maxMillis) {

    static RelayShare since(DataSource ds, String topic, Instant from) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*), percentile_disc(0.5) within group (order by lag), percentile_disc(0.99) within group (order by lag), max(lag)"
                        + " from (select extract(epoch from (published_at - time)) * 1000 as lag from outbox"
                        + " where ? = any(topics) and time >= ? and published_at is not null) x")) {
            ps.setString(1, topic);
            ps.setObject(2, from.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new RelayShare(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
