package dev.todo.recurrence;

import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Computes occurrences of a recurring task. Pure: values in, values out.
 *
 * <p>The rule is expanded by lib-recur on the wall clock of the task's zone (floating local
 * date-times), so a daily 09:00 task stays at 09:00 across daylight-saving changes; invalid dates
 * (the 31st of a 30-day month, Feb 29 in common years) are skipped as RFC 5545 requires. Each local
 * date-time then becomes an instant by this policy: a time that does not exist (in a DST gap) moves
 * forward by the length of the gap; an ambiguous one (in a DST overlap) takes the earlier instant.
 * That is {@link ZonedDateTime#ofLocal} with no preferred offset.
 */
public final class OccurrencePlanner {

    /** Rules that produce nothing for a long stretch (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30) end here. */
    static final int MAX_INSTANCES = 100_000;
    static final int MAX_YEAR = 9999;

    private OccurrencePlanner() {
    }

    /**
     * The series' occurrences strictly after {@code after}, at most {@code limit} of them, for a
     * series whose first occurrence is {@code start} (its DTSTART) in {@code zone}.
     */
    public static List<ZonedDateTime> after(RecurrenceRule rule, List<Instant> exdates, ZonedDateTime start, Instant after,
                                            int limit) {
        ZoneId zone = start.getZone();
        RecurrenceRule local = withFloatingUntil(rule, zone);
        Set<Instant> excluded = new HashSet<>(exdates);
        List<ZonedDateTime> out = new ArrayList<>();
        try {
            RecurrenceRuleIterator it = local.iterator(Recurrence.floating(start.toLocalDateTime()));
            int seen = 0;
            while (out.size() < limit && seen++ < MAX_INSTANCES && it.hasNext()) {
                DateTime next = it.nextDateTime();
                if (next.getYear() > MAX_YEAR) {
                    break;
                }
                ZonedDateTime at = ZonedDateTime.ofLocal(toLocal(next), zone, null);
                if (at.toInstant().isAfter(after) && !excluded.contains(at.toInstant())) {
                    out.add(at);
                }
            }
        } catch (IllegalArgumentException e) {
            // lib-recur gives up on rules whose candidates stay filtered out for too long: the series ends
        }
        return out;
    }

    /** The next occurrence, due-based: the first of the series after both the completed due date and now. */
    public static Optional<ZonedDateTime> nextAfterDue(RecurrenceRule rule, List<Instant> exdates, ZonedDateTime start,
                                                       Instant completedDue, Instant now) {
        Instant after = completedDue.isAfter(now) ? completedDue : now;
        return after(rule, exdates, start, after, 1).stream().findFirst();
    }

    /**
     * The next occurrence, completion-based: the rule re-anchored on the completion's local date at
     * the series' original time of day (due Jan 10 09:00 every 3 days, completed Jan 14 18:00 →
     * Jan 17 09:00). {@code occurrencesSoFar} counts the series' tasks so far, so COUNT still ends it.
     */
    public static Optional<ZonedDateTime> nextAfterCompletion(RecurrenceRule rule, List<Instant> exdates, ZonedDateTime start,
                                                              Instant completedAt, int occurrencesSoFar) {
        if (rule.getCount() != null && occurrencesSoFar >= rule.getCount()) {
            return Optional.empty();
        }
        ZoneId zone = start.getZone();
        LocalDateTime anchorLocal = completedAt.atZone(zone).toLocalDate().atTime(start.toLocalTime());
        ZonedDateTime anchor = ZonedDateTime.ofLocal(anchorLocal, zone, null);
        RecurrenceRule uncounted = copyWithoutCount(rule);
        return after(uncounted, exdates, anchor, anchor.toInstant(), 1).stream().findFirst();
    }

    private static RecurrenceRule copyWithoutCount(RecurrenceRule rule) {
        if (rule.getCount() == null) {
            return rule;
        }
        String text = rule.toString().replaceAll("(^|;)COUNT=\\d+", "").replaceFirst("^;", "");
        return Recurrence.parseRule(text, "recurrence.rule");
    }

    /**
     * UNTIL in UTC (as RFC 5545 requires with a zoned DTSTART) becomes the same instant on the zone's
     * wall clock, because the rule is expanded on floating local times. UNTIL is inclusive.
     */
    private static RecurrenceRule withFloatingUntil(RecurrenceRule rule, ZoneId zone) {
        DateTime until = rule.getUntil();
        if (until == null || until.isFloating()) {
            return rule;
        }
        RecurrenceRule copy = Recurrence.parseRule(rule.toString(), "recurrence.rule");
        if (until.isAllDay()) {
            copy.setUntil(new DateTime(until.getYear(), until.getMonth(), until.getDayOfMonth(), 23, 59, 59));
        } else {
            LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(until.getTimestamp()), zone);
            copy.setUntil(Recurrence.floating(local));
        }
        return copy;
    }

    private static LocalDateTime toLocal(DateTime t) {
        if (t.isAllDay()) {
            return LocalDateTime.of(t.getYear(), t.getMonth() + 1, t.getDayOfMonth(), 0, 0);
        }
        return LocalDateTime.of(t.getYear(), t.getMonth() + 1, t.getDayOfMonth(), t.getHours(), t.getMinutes(), t.getSeconds());
    }
}
