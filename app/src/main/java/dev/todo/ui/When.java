package dev.todo.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Due times as people read them, in the viewer's zone: "in 2 hours", "yesterday 09:00", "Fri",
 * "12 Dec"; and the exact form for hover and focus. Pure: the present is a parameter.
 */
public final class When {

    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE", Locale.ENGLISH);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter DATE_YEAR = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter EXACT_DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH);

    private When() {
    }

    public static String relative(Instant at, boolean allDay, ZoneId zone, Instant now) {
        ZonedDateTime t = at.atZone(zone);
        ZonedDateTime n = now.atZone(zone);
        long minutes = Duration.between(now, at).toMinutes();
        if (!allDay) {
            if (Math.abs(minutes) < 1) {
                return "now";
            }
            if (minutes > 0 && minutes < 60) {
                return "in " + minutes + " min";
            }
            if (minutes < 0 && minutes > -60) {
                return -minutes + " min ago";
            }
            if (minutes > 0 && minutes < 12 * 60) {
                long h = Math.round(minutes / 60.0);
                return "in " + h + (h == 1 ? " hour" : " hours");
            }
            if (minutes < 0 && minutes > -12 * 60) {
                long h = Math.round(-minutes / 60.0);
                return h + (h == 1 ? " hour ago" : " hours ago");
            }
        }
        LocalDate today = n.toLocalDate();
        LocalDate day = t.toLocalDate();
        long days = ChronoUnit.DAYS.between(today, day);
        String time = allDay ? "" : " " + HM.format(t);
        if (days == 0) {
            return "today" + time;
        }
        if (days == 1) {
            return "tomorrow" + time;
        }
        if (days == -1) {
            return "yesterday" + time;
        }
        if (days > 1 && days < 7) {
            return DAY.format(t) + time;
        }
        if (days < -1 && days > -7) {
            return "last " + DAY.format(t) + time;
        }
        return (day.getYear() == today.getYear() ? DATE.format(t) : DATE_YEAR.format(t)) + time;
    }

    public static String exact(Instant at, boolean allDay, ZoneId zone) {
        ZonedDateTime t = at.atZone(zone);
        return (allDay ? EXACT_DAY.format(t) + " (all day)" : EXACT.format(t)) + ", " + zone.getId();
    }

    /** The value of an {@code <input type="datetime-local">} or {@code date} for the instant in the zone. */
    public static String local(Instant at, boolean allDay, ZoneId zone) {
        ZonedDateTime t = at.atZone(zone);
        return allDay ? t.toLocalDate().toString() : t.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).toString();
    }
}
