package dev.todo.events;

import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Runs replays asked for through the API: the dead letter's consumer handles its event once more.
 * On success the dead letter is marked replayed; on failure it stays open with the new error.
 * Any worker may take a request (row locks, SKIP LOCKED), so it works with separate API and workers.
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class DeadLetterReplayer extends ListeningWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);
    private static final long IDLE_MS = 1000;

    private final EventDispatcher dispatcher;

    public DeadLetterReplayer(DataSource dataSource, DataSourceResolver resolver, EventDispatcher dispatcher) {
        super(resolver.resolve(dataSource), DeadLetters.CHANNEL, "dead-letter-replayer");
        this.dispatcher = dispatcher;
    }

    @Override
    protected long round(Connection listener) throws SQLException {
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean any = false;
                try (PreparedStatement ps = c.prepareStatement("select id, consumer, event::text from dead_letters"
                        + " where replay_requested_at is not null and replayed_at is null"
                        + " order by replay_requested_at limit 20 for update skip locked");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        any = true;
                        replay(c, rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3));
                    }
                }
                c.commit();
                return any ? 0 : IDLE_MS;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void replay(Connection c, UUID id, String consumer, String event) throws SQLException {
        String error = null;
        try {
            dispatcher.replay(consumer, DeadLetters.FORMAT.deserialize(event.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (Exception | Error e) {
            // an Error too: the request is answered with the failure, not retried forever at the head of the line
            error = EventDispatcher.describe(e);
            LOG.warn("Replay of dead letter {} for {} failed again", id, consumer, e);
        }
        String sql = error == null
                ? "update dead_letters set replayed_at = clock_timestamp(), replay_requested_at = null where id = ?"
                : "update dead_letters set error = ?, attempts = attempts + 1, failed_at = clock_timestamp(),"
                + " replay_requested_at = null where id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (error == null) {
                ps.setObject(1, id);
            } else {
                ps.setString(1, error);
                ps.setObject(2, id);
            }
            ps.executeUpdate();
        }
    }
}
