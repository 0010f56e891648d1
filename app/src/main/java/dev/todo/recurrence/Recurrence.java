package dev.todo.recurrence;

import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.Freq;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A validated RFC 5545 recurrence: an RRULE, the dates it excludes, and whether the next
 * occurrence follows the previous due date or the completion.
 */
public record Recurrence(String rule, List<Instant> exdates, From from) {

    public enum From {
        DUE, COMPLETION;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<From> parse(String s) {
            return java.util.Arrays.stream(values()).filter(f -> f.json().equals(s)).findFirst();
        }
    }

    private static final Set<String> WEEKDAYS = Set.of("MO", "TU", "WE", "TH", "FR", "SA", "SU");

    public Recurrence {
        exdates = List.copyOf(exdates);
    }

    /**
     * Parses and checks an RRULE (with or without the {@code RRULE:} prefix); faults name {@code field}.
     * A rule that could make the planner build too many instances ({@link RuleBounds}) is refused.
     */
    public static RecurrenceRule parseRule(String text, String field) {
        return parse(text, field, true);
    }

    /**
     * Parses a stored rule without checking its bounds: the planner checks them itself and says why
     * a series ends, so a rule stored before the bounds existed is reported, not refused.
     */
    public static RecurrenceRule parseUnbounded(String text, String field) {
        return parse(text, field, false);
    }

    private static RecurrenceRule parse(String text, String field, boolean bounded) {
        String body = text.strip();
        if (body.regionMatches(true, 0, "RRULE:", 0, 6)) {
            body = body.substring(6);
        }
        if (body.isEmpty()) {
            throw ApiException.invalid(field, "must not be empty; e.g. FREQ=WEEKLY;BYDAY=MO,TH");
        }
        List<FieldError> errors = new ArrayList<>();
        boolean count = false;
        boolean until = false;
        for (String part : body.split(";")) {
            String name = part.contains("=") ? part.substring(0, part.indexOf('=')).toUpperCase(Locale.ROOT) : part;
            count |= name.equals("COUNT");
            until |= name.equals("UNTIL");
        }
        if (count && until) {
            errors.add(new FieldError(field, "COUNT and UNTIL cannot both be given (RFC 5545 3.3.10)"));
        }
        RecurrenceRule rule = null;
        try {
            rule = new RecurrenceRule(body, RecurrenceRule.RfcMode.RFC5545_STRICT);
        } catch (InvalidRecurrenceRuleException | IllegalArgumentException e) {
            errors.add(new FieldError(field, "is not a valid RFC 5545 RRULE: " + e.getMessage()));
        }
        if (rule != null && rule.getFreq() == Freq.SECONDLY) {
            errors.add(new FieldError(field, "FREQ=SECONDLY is not supported for tasks"));
        }
        if (rule != null && rule.getCount() != null && rule.getCount() < 1) {
            errors.add(new FieldError(field, "COUNT must be at least 1"));
        }
        if (bounded && rule != null && errors.isEmpty()) {
            String tooMuch = RuleBounds.of(rule).problem(rule);
            if (!tooMuch.isEmpty()) {
                errors.add(new FieldError(field, tooMuch));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return rule;
    }

    /**
     * The simple form for people who do not write RRULEs, e.g. every 2 weeks on Monday and Thursday:
     * {@code every=week, interval=2, on=[MO, TH]}. Returns the equivalent RRULE text.
     */
    public static String fromSimple(String every, Integer interval, List<String> on, String field) {
        String freq = switch (every == null ? "" : every.toLowerCase(Locale.ROOT)) {
            case "day" -> "DAILY";
            case "week" -> "WEEKLY";
            case "month" -> "MONTHLY";
            case "year" -> "YEARLY";
            default -> throw ApiException.invalid(field + ".every", "must be one of day, week, month, year");
        };
        StringBuilder rule = new StringBuilder("FREQ=").append(freq);
        if (interval != null) {
            if (interval < 1 || interval > 1000) {
                throw ApiException.invalid(field + ".interval", "must be between 1 and 1000");
            }
            rule.append(";INTERVAL=").append(interval);
        }
        if (on != null && !on.isEmpty()) {
            List<String> days = new ArrayList<>();
            for (String d : on) {
                String day = d.strip().toUpperCase(Locale.ROOT);
                if (!WEEKDAYS.contains(day)) {
                    throw ApiException.invalid(field + ".on", "unknown weekday '" + d + "'; use MO, TU, WE, TH, FR, SA, SU");
                }
                days.add(day);
            }
            rule.append(";BYDAY=").append(String.join(",", days));
        }
        parseRule(rule.toString(), field);
        return rule.toString();
    }

    static DateTime floating(java.time.LocalDateTime t) {
        return new DateTime(t.getYear(), t.getMonthValue() - 1, t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
    }
}
