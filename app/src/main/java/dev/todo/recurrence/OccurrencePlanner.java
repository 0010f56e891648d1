package dev.todo.recurrence;

import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.Freq;
import org.dmfs.rfc5545.recur.RecurrenceRule.Part;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
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

    /**
     * Instances looked at for one question. Expansion starts one INTERVAL of periods before the
     * point of interest (see {@link #nearPointOfInterest}), and {@link RuleBounds} caps a period's
     * instances, so a rule within the bounds never comes near this.
     */
    static final int MAX_INSTANCES = 100_000;
    /** Wall-clock time one question may take, whatever the rule. */
    static final Duration MAX_PLANNING_TIME = Duration.ofSeconds(2);
    static final int MAX_YEAR = 9999;

    /**
     * The occurrences found, and why there are fewer than asked for ({@code ended} is null when the
     * limit was reached): a series never ends without a reason a person can read.
     */
    public record Plan(List<ZonedDateTime> items, String ended) {

        public Plan {
            items = List.copyOf(items);
        }

        public Optional<ZonedDateTime> first() {
            return items.stream().findFirst();
        }
    }

    private OccurrencePlanner() {
    }

    /**
     * The series' occurrences strictly after {@code after}, at most {@code limit} of them, for a
     * series whose first occurrence is {@code start} (its DTSTART) in {@code zone}.
     */
    public static List<ZonedDateTime> after(RecurrenceRule rule, List<Instant> exdates, ZonedDateTime start, Instant after,
                                            int limit) {
        return plan(rule, exdates, start, after, limit).items();
    }

    /** As {@link #after}, with the reason when the series ends before {@code limit} occurrences. */
    public static Plan plan(RecurrenceRule rule, List<Instant> exdates, ZonedDateTime start, Instant after, int limit) {
        return plan(rule, exdates, start, after, limit, true);
    }

    static Plan plan(RecurrenceRule rule, List<Instant> exdates, ZonedDateTime start, Instant after, int limit,
                     boolean startNearPointOfInterest) {
        String tooMuch = RuleBounds.of(rule).problem(rule);
        if (!tooMuch.isEmpty()) {
            return new Plan(List.of(), "the rule " + tooMuch);
        }
        ZoneId zone = start.getZone();
        RecurrenceRule expanded = rule;
        LocalDateTime from = start.toLocalDateTime();
        if (startNearPointOfInterest && rule.getCount() == null) {
            Shifted shifted = nearPointOfInterest(rule, from, LocalDateTime.ofInstant(after, zone));
            expanded = shifted.rule();
            from = shifted.start();
        }
        RecurrenceRule local = withFloatingUntil(expanded, zone);
        Set<Instant> excluded = new HashSet<>(exdates);
        List<ZonedDateTime> out = new ArrayList<>();
        long deadline = System.nanoTime() + MAX_PLANNING_TIME.toNanos();
        try {
            RecurrenceRuleIterator it = local.iterator(Recurrence.floating(from));
            int seen = 0;
            while (out.size() < limit) {
                if (!it.hasNext()) {
                    return new Plan(out, rule.getCount() != null ? "the series reached its COUNT of " + rule.getCount() + " occurrences"
                            : rule.getUntil() != null ? "the series passed its UNTIL date" : "the rule has no further occurrences");
                }
                if (++seen > MAX_INSTANCES) {
                    return new Plan(out, "planning gave up after " + MAX_INSTANCES + " dates of the rule without finding the next one");
                }
                if ((seen & 255) == 0 && System.nanoTime() > deadline) {
                    return new Plan(out, "planning took longer than " + MAX_PLANNING_TIME.toMillis() + " ms");
                }
                DateTime next = it.nextDateTime();
                if (next.getYear() > MAX_YEAR) {
                    return new Plan(out, "the rule has no further occurrences before the year " + (MAX_YEAR + 1));
                }
                ZonedDateTime at = ZonedDateTime.ofLocal(toLocal(next), zone, null);
                if (at.toInstant().isAfter(after) && !excluded.contains(at.toInstant())) {
                    out.add(at);
                }
            }
        } catch (IllegalArgumentException e) {
            // lib-recur gives up on rules whose candidates stay filtered out for too long
            return new Plan(out, "the rule has no further occurrences (none in a long stretch of dates)");
        }
        return new Plan(out, null);
    }

    /** The next occurrence, due-based: the first of the series after both the completed due date and now. */
    public static Plan nextAfterDue(RecurrenceRule rule, List<Instant> exdates, ZonedDateTime start, Instant completedDue,
                                    Instant now) {
        Instant after = completedDue.isAfter(now) ? completedDue : now;
        return plan(rule, exdates, start, after, 1);
    }

    /**
     * The next occurrence, completion-based: the rule re-anchored on the completion's local date at
     * the series' original time of day (due Jan 10 09:00 every 3 days, completed Jan 14 18:00 →
     * Jan 17 09:00). A rule below a day (HOURLY, MINUTELY) restarts at the completion instant
     * itself: every hour, completed at 03:40 → 04:40. {@code occurrencesSoFar} counts the series'
     * tasks so far, so COUNT still ends it.
     */
    public static Plan nextAfterCompletion(RecurrenceRule rule, List<Instant> exdates, ZonedDateTime start, Instant completedAt,
                                           int occurrencesSoFar) {
        if (rule.getCount() != null && occurrencesSoFar >= rule.getCount()) {
            return new Plan(List.of(), "the series reached its COUNT of " + rule.getCount() + " occurrences");
        }
        ZoneId zone = start.getZone();
        ZonedDateTime anchor;
        if (subDaily(rule.getFreq())) {
            anchor = completedAt.truncatedTo(ChronoUnit.SECONDS).atZone(zone);
        } else {
            LocalDateTime anchorLocal = completedAt.atZone(zone).toLocalDate().atTime(start.toLocalTime());
            anchor = ZonedDateTime.ofLocal(anchorLocal, zone, null);
        }
        RecurrenceRule uncounted = copyWithoutCount(rule);
        return plan(uncounted, exdates, anchor, anchor.toInstant(), 1);
    }

    private static boolean subDaily(Freq freq) {
        return freq == Freq.HOURLY || freq == Freq.MINUTELY || freq == Freq.SECONDLY;
    }

    record Shifted(RecurrenceRule rule, LocalDateTime start) {
    }

    /**
     * Moves DTSTART forward by a whole number of INTERVALs of periods, to one INTERVAL before
     * {@code target}, so expansion costs the same in a series' tenth year as on its first day (a
     * MINUTELY series expanded from its start ran out of its instance budget after ~69 days). Parts
     * RFC 5545 takes from DTSTART when they are absent and that the move could change (the day of
     * the month after Jan 31 + 1 month, Feb 29, the weekday of a BYWEEKNO rule) are written into
     * the rule first. Not for COUNT rules: their count runs from the original start.
     */
    static Shifted nearPointOfInterest(RecurrenceRule rule, LocalDateTime start, LocalDateTime target) {
        ChronoUnit unit = switch (rule.getFreq()) {
            case SECONDLY -> ChronoUnit.SECONDS;
            case MINUTELY -> ChronoUnit.MINUTES;
            case HOURLY -> ChronoUnit.HOURS;
            case DAILY -> ChronoUnit.DAYS;
            case WEEKLY -> ChronoUnit.WEEKS;
            case MONTHLY -> ChronoUnit.MONTHS;
            case YEARLY -> ChronoUnit.YEARS;
        };
        int interval = Math.max(1, rule.getInterval());
        long steps = unit.between(start, target) / interval - 1;
        if (steps <= 0) {
            return new Shifted(rule, start);
        }
        StringBuilder implied = new StringBuilder();
        boolean byMonth = rule.hasPart(Part.BYMONTH);
        boolean byMonthDay = rule.hasPart(Part.BYMONTHDAY);
        boolean byDay = rule.hasPart(Part.BYDAY);
        boolean byYearDay = rule.hasPart(Part.BYYEARDAY);
        boolean byWeekNo = rule.hasPart(Part.BYWEEKNO);
        if (rule.getFreq() == Freq.MONTHLY && !byMonthDay && !byDay) {
            implied.append(";BYMONTHDAY=").append(start.getDayOfMonth());
        } else if (rule.getFreq() == Freq.YEARLY && !byMonthDay && !byDay && !byYearDay) {
            if (byWeekNo) {
                implied.append(";BYDAY=").append(start.getDayOfWeek().name(), 0, 2);
            } else {
                if (!byMonth) {
                    implied.append(";BYMONTH=").append(start.getMonthValue());
                }
                implied.append(";BYMONTHDAY=").append(start.getDayOfMonth());
            }
        }
        RecurrenceRule explicit = implied.isEmpty() ? rule : Recurrence.parseUnbounded(rule + implied.toString(), "recurrence.rule");
        return new Shifted(explicit, start.plus(steps * interval, unit));
    }

    private static RecurrenceRule copyWithoutCount(RecurrenceRule rule) {
        if (rule.getCount() == null) {
            return rule;
        }
        String text = rule.toString().replaceAll("(^|;)COUNT=\\d+", "").replaceFirst("^;", "");
        return Recurrence.parseUnbounded(text, "recurrence.rule");
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
        RecurrenceRule copy = Recurrence.parseUnbounded(rule.toString(), "recurrence.rule");
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
