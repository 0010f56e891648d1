package dev.todo.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A user's lock on one quota, held until the transaction ends: take it before counting what the
 * user has against the quota, and writes that count at the same time count one after the other, each
 * seeing what those before it committed (the count must be a later statement, so its snapshot is
 * taken after the lock was granted). A transaction-level advisory lock: nothing to release, and a
 * crashed client's lock goes with its connection.
 */
public enum QuotaLock {
    TASKS(0x7471),
    TOKENS(0x746b),
    TAGS(0x7467);

    private final int space;

    QuotaLock(int space) {
        this.space = space;
    }

    /** Takes the lock in the transaction of {@code c}, waiting while another transaction holds it. */
    public void take(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?, hashtext(?))")) {
            lock.setInt(1, space);
            lock.setString(2, userId.toString());
            lock.execute();
        }
    }
}
