package dev.todo.recurrence;

import org.dmfs.rfc5545.recur.Freq;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRule.Part;

import java.util.List;

/**
 * How much work a rule can cause, estimated from its parts alone (an upper bound, never an
 * expansion): the most occurrences it can put on one day, and the most the rule library builds for
 * one period of its FREQ before BYSETPOS picks from them. Rules over the limits are refused when a
 * task is written, and a stored one (written before the limits existed) ends its series with that
 * reason instead of being expanded.
 *
 * <p>{@code FREQ=YEARLY;BYMONTH=1,…,12;BYMONTHDAY=1,…,31;BYHOUR=0,…,23;BYMINUTE=0,…,59;BYSECOND=0,…,59}
 * builds 31.6 million instances for one year; {@code FREQ=MINUTELY;BYSECOND=0,…,59} is SECONDLY by
 * another name. Both are refused by {@link #MAX_PER_DAY}.
 */
public record RuleBounds(long perDay, long perPeriod) {

    /** At most one occurrence a minute on average over a day. */
    public static final long MAX_PER_DAY = 1440;
    /** Instances the rule library may build for one period (a year for YEARLY, a month for MONTHLY, ...). */
    public static final long MAX_PER_PERIOD = 20_000;
    /** COUNT rules are expanded from the series' start: their length is the work. */
    public static final int MAX_COUNT = 10_000;

    public static RuleBounds of(RecurrenceRule rule) {
        Freq freq = rule.getFreq();
        int interval = Math.max(1, rule.getInterval());
        long seconds = size(rule, Part.BYSECOND, 1);
        long perDay;
        long perPeriod;
        switch (freq) {
            case SECONDLY -> {
                perDay = Math.min(ceilDiv(86_400, interval), size(rule, Part.BYHOUR, 24) * size(rule, Part.BYMINUTE, 60) * size(rule, Part.BYSECOND, 60));
                perPeriod = 1;
            }
            case MINUTELY -> {
                perDay = Math.min(ceilDiv(1440, interval), size(rule, Part.BYHOUR, 24) * size(rule, Part.BYMINUTE, 60)) * seconds;
                perPeriod = seconds;
            }
            case HOURLY -> {
                long minutes = size(rule, Part.BYMINUTE, 1);
                perDay = Math.min(ceilDiv(24, interval), size(rule, Part.BYHOUR, 24)) * minutes * seconds;
                perPeriod = minutes * seconds;
            }
            default -> {
                perDay = size(rule, Part.BYHOUR, 1) * size(rule, Part.BYMINUTE, 1) * seconds;
                perPeriod = daysPerPeriod(rule, freq) * perDay;
            }
        }
        return new RuleBounds(perDay, perPeriod);
    }

    /** Empty when the rule is within the limits, else why it is not (for people). */
    public String problem(RecurrenceRule rule) {
        if (perDay > MAX_PER_DAY) {
            return "can make up to " + perDay + " occurrences a day; at most " + MAX_PER_DAY + " (one a minute) are allowed";
        }
        if (perPeriod > MAX_PER_PERIOD) {
            return "can make up to " + perPeriod + " occurrences in one " + period(rule.getFreq()) + "; at most " + MAX_PER_PERIOD
                    + " are allowed";
        }
        if (rule.getCount() != null && rule.getCount() > MAX_COUNT) {
            return "COUNT must be at most " + MAX_COUNT;
        }
        return "";
    }

    private static long daysPerPeriod(RecurrenceRule rule, Freq freq) {
        return switch (freq) {
            case DAILY -> 1;
            case WEEKLY -> Math.min(7, size(rule, Part.BYDAY, 1));
            case MONTHLY -> Math.min(31, monthDays(rule));
            default -> Math.min(366, yearDays(rule));
        };
    }

    /** Days one month can hold: BYMONTHDAY entries, or up to five of each plain weekday in BYDAY. */
    private static long monthDays(RecurrenceRule rule) {
        if (rule.hasPart(Part.BYMONTHDAY)) {
            return rule.getByPart(Part.BYMONTHDAY).size();
        }
        if (rule.hasPart(Part.BYDAY)) {
            return rule.getByDayPart().stream().mapToLong(d -> d.pos == 0 ? 5 : 1).sum();
        }
        return 1;
    }

    private static long yearDays(RecurrenceRule rule) {
        long months = size(rule, Part.BYMONTH, 12);
        if (rule.hasPart(Part.BYYEARDAY)) {
            return rule.getByPart(Part.BYYEARDAY).size();
        }
        if (rule.hasPart(Part.BYWEEKNO)) {
            return rule.getByPart(Part.BYWEEKNO).size() * 7L;
        }
        if (rule.hasPart(Part.BYMONTHDAY)) {
            return months * rule.getByPart(Part.BYMONTHDAY).size();
        }
        if (rule.hasPart(Part.BYDAY)) {
            List<RecurrenceRule.WeekdayNum> days = rule.getByDayPart();
            return rule.hasPart(Part.BYMONTH)
                    ? months * days.stream().mapToLong(d -> d.pos == 0 ? 5 : 1).sum()
                    : days.stream().mapToLong(d -> d.pos == 0 ? 53 : 1).sum();
        }
        return rule.hasPart(Part.BYMONTH) ? months : 1;
    }

    private static long size(RecurrenceRule rule, Part part, long absent) {
        if (!rule.hasPart(part)) {
            return absent;
        }
        return part == Part.BYDAY ? rule.getByDayPart().size() : rule.getByPart(part).size();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static String period(Freq freq) {
        return switch (freq) {
            case YEARLY -> "year";
            case MONTHLY -> "month";
            case WEEKLY -> "week";
            case DAILY -> "day";
            case HOURLY -> "hour";
            case MINUTELY -> "minute";
            case SECONDLY -> "second";
        };
    }
}
