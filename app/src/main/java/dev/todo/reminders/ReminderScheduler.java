package dev.todo.reminders;

import dev.todo.events.ListeningWorker;
import dev.todo.events.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fires due reminders, each exactly once however many instances run against the database.
 *
 * <p>Claiming is one statement: due pending rows are locked with {@code FOR UPDATE SKIP LOCKED},
 * marked sent and announced by a {@code reminder.due} event written to the outbox in the same
 * transaction, so a row is either claimed by exactly one scheduler or left for the next. The event
 * carries everything the {@link NotifierConsumer} needs to create the in-app notification (its id
 * too), so the scheduler's transaction stays small and the notification follows from the event.
 * Between rounds the scheduler sleeps until the earliest pending {@code fire_at}, woken early by the
 * {@code todo_reminders} notification a trigger sends whenever reminders change, and looking at
 * least every {@link #MAX_IDLE}; an idle scheduler costs two small statements per look. Reminders
 * that came due while no scheduler ran fire on the first round and are marked late.
 */
@Singleton
@Requires(property = "todo.reminders.scheduler.enabled", notEquals = "false")
@Requires(property = "todo.roles", pattern = dev.todo.events.Roles.SCHEDULER)
public class ReminderScheduler extends ListeningWorker {

    // Also bounds how late a reminder created by another process is noticed when the NOTIFY does
    // not wake the driver's timed wait (seen with pgjdbc): half a second keeps firing within 1 s.
    static final Duration MAX_IDLE = Duration.ofMillis(500);
    static final Duration COUNT_EVERY = Duration.ofSeconds(5);
    static final int BATCH = 500;

    private static final String FIRE = "with due as ("
            + " select id, task_id, user_id, fire_at from reminders"
            // statement_timestamp() is stable, so it bounds the index scan; clock_timestamp() would be
            // evaluated per row and make every round walk all pending reminders
            + " where status = 'pending' and fire_at <= statement_timestamp() order by fire_at limit ? for update skip locked),"
            + " sent as (update reminders r set status = 'sent', fired_at = clock_timestamp(),"
            + " late = clock_timestamp() - due.fire_at > make_interval(secs => ?)"
            + " from due where r.id = due.id returning r.id, r.task_id, r.user_id, r.fire_at, r.fired_at, r.late),"
            // the reminder.due event is written in the same transaction (transactional outbox); the
            // notifier creates the notification from it, under the id chosen here
            + " announced as (" + Outbox.insertFrom(
            "select gen_random_uuid(), 'reminder.due', array[cast(? as text)], s.task_id, s.user_id, s.fired_at, jsonb_build_object("
            + "'notificationId', gen_random_uuid(), 'reminderId', s.id, 'taskId', s.task_id, 'title', t.title,"
            + " 'fireAt', s.fire_at, 'firedAt', s.fired_at, 'late', s.late)"
            + " from sent s join tasks t on t.id = s.task_id") + ")"
            + " select fire_at, fired_at from sent";

    private final String topic;
    private final Outbox outbox;
    private final long lateAfterSeconds;
    private final Counter fired;
    private final Timer lateness;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong firedByThis = new AtomicLong();
    private final AtomicLong statements = new AtomicLong();
    private long pendingCountedAt = System.nanoTime() - COUNT_EVERY.toNanos();

    public ReminderScheduler(DataSource dataSource, DataSourceResolver resolver, Outbox outbox, Outbox.Topics topics, MeterRegistry meters,
                             @Value("${todo.reminders.late-after-seconds:2}") long lateAfterSeconds) {
        super(resolver.resolve(dataSource), ReminderRepository.CHANNEL, "reminder-scheduler");
        this.topic = topics.reminders();
        this.outbox = outbox;
        this.lateAfterSeconds = lateAfterSeconds;
        this.fired = Counter.builder("todo.reminders.fired").description("Reminders fired").register(meters);
        this.lateness = Timer.builder("todo.reminders.lateness").description("Firing time minus fireAt")
                .publishPercentileHistogram().register(meters);
        Gauge.builder("todo.reminders.pending", pending, AtomicLong::get).description("Pending reminders with a firing time")
                .register(meters);
    }

    /** Statements this scheduler has sent to the database (its load). */
    public long statementCount() {
        return statements.get();
    }

    /** Reminders fired by this scheduler since it was created. */
    public long firedCount() {
        return firedByThis.get();
    }

    @Override
    protected long round(Connection listener) throws SQLException {
        return fireDue() >= BATCH ? 0 : millisUntilNextDue(listener);
    }

    /** Claims and fires one batch of due reminders; returns how many fired. */
    int fireDue() throws SQLException {
        int count = 0;
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            statements.incrementAndGet();
            try (PreparedStatement ps = c.prepareStatement(FIRE)) {
                ps.setInt(1, BATCH);
                ps.setLong(2, lateAfterSeconds);
                ps.setString(3, topic);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant fireAt = rs.getObject(1, OffsetDateTime.class).toInstant();
                        Instant firedAt = rs.getObject(2, OffsetDateTime.class).toInstant();
                        lateness.record(Duration.between(fireAt, firedAt).abs());
                        count++;
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        if (count > 0) {
            outbox.committed();
        }
        fired.increment(count);
        firedByThis.addAndGet(count);
        return count;
    }

    private long millisUntilNextDue(Connection c) throws SQLException {
        refreshPendingCount(c);
        statements.incrementAndGet();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select extract(epoch from (fire_at - clock_timestamp())) * 1000 from reminders"
                     + " where status = 'pending' and fire_at is not null order by fire_at limit 1")) {
            if (!rs.next()) {
                return MAX_IDLE.toMillis();
            }
            return Math.max(0, Math.min((long) Math.ceil(rs.getDouble(1)), MAX_IDLE.toMillis()));
        }
    }

    /** The pending gauge is refreshed at most every {@link #COUNT_EVERY}: counting is not free with many reminders. */
    private void refreshPendingCount(Connection c) throws SQLException {
        long now = System.nanoTime();
        if (now - pendingCountedAt < COUNT_EVERY.toNanos()) {
            return;
        }
        pendingCountedAt = now;
        statements.incrementAndGet();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from reminders where status = 'pending' and fire_at is not null")) {
            rs.next();
            pending.set(rs.getLong(1));
        }
    }
}
