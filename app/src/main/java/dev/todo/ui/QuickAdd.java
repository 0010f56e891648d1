package dev.todo.ui;

import dev.todo.tasks.Priority;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quick-add line: {@code Pay rent tomorrow 9am !high #home every month}. Pure: a line and the
 * present moment in the user's zone in, a title, due date, priority, tags and recurrence out. A word
 * is taken as syntax only when it (with the words it needs) parses completely; everything else stays
 * in the title, in its order, so nothing typed is lost.
 */
public final class QuickAdd {

    /** What a line says. {@code due} is null without a date or time; {@code allDay} when only a date was given. */
    public record Parsed(String title, ZonedDateTime due, boolean allDay, Priority priority, List<String> tags,
                         String every, Integer interval, List<String> on, List<String> understood) {
    }

    private static final Map<String, Priority> PRIORITIES = Map.ofEntries(
            Map.entry("urgent", Priority.URGENT), Map.entry("1", Priority.URGENT), Map.entry("p1", Priority.URGENT),
            Map.entry("high", Priority.HIGH), Map.entry("h", Priority.HIGH), Map.entry("2", Priority.HIGH), Map.entry("p2", Priority.HIGH),
            Map.entry("medium", Priority.MEDIUM), Map.entry("med", Priority.MEDIUM), Map.entry("m", Priority.MEDIUM),
            Map.entry("3", Priority.MEDIUM), Map.entry("p3", Priority.MEDIUM),
            Map.entry("low", Priority.LOW), Map.entry("l", Priority.LOW), Map.entry("4", Priority.LOW), Map.entry("p4", Priority.LOW),
            Map.entry("none", Priority.NONE));
    private static final Map<String, DayOfWeek> DAYS = new LinkedHashMap<>();
    private static final Map<String, Month> MONTHS = new LinkedHashMap<>();
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("day", "day"), Map.entry("days", "day"), Map.entry("week", "week"), Map.entry("weeks", "week"),
            Map.entry("month", "month"), Map.entry("months", "month"), Map.entry("year", "year"), Map.entry("years", "year"));
    private static final Pattern TIME = Pattern.compile("(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?");
    private static final Pattern ORDINAL = Pattern.compile("(\\d{1,2})(?:st|nd|rd|th)?");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,3}");

    static {
        for (DayOfWeek d : DayOfWeek.values()) {
            String name = d.name().toLowerCase(Locale.ROOT);
            DAYS.put(name, d);
            DAYS.put(name.substring(0, 3), d);
        }
        DAYS.put("tues", DayOfWeek.TUESDAY);
        DAYS.put("thur", DayOfWeek.THURSDAY);
        DAYS.put("thurs", DayOfWeek.THURSDAY);
        for (Month m : Month.values()) {
            String name = m.name().toLowerCase(Locale.ROOT);
            MONTHS.put(name, m);
            MONTHS.put(name.substring(0, 3), m);
        }
        MONTHS.put("sept", Month.SEPTEMBER);
    }

    private final List<String> words;
    private final ZonedDateTime now;
    private final boolean[] used;
    private LocalDate date;
    private LocalTime time;
    private Priority priority;
    private final Set<String> tags = new LinkedHashSet<>();
    private String every;
    private Integer interval;
    private List<String> on;
    private final List<String> understood = new ArrayList<>();

    private QuickAdd(String line, ZonedDateTime now) {
        this.words = List.of(line.strip().split("\\s+"));
        this.now = now;
        this.used = new boolean[words.size()];
    }

    public static Parsed parse(String line, ZonedDateTime now) {
        if (line == null || line.isBlank()) {
            return new Parsed("", null, false, null, List.of(), null, null, null, List.of());
        }
        return new QuickAdd(line, now).run();
    }

    private Parsed run() {
        for (int i = 0; i < words.size(); i++) {
            if (used[i]) {
                continue;
            }
            int taken = token(i);
            for (int k = 0; k < taken; k++) {
                used[i + k] = true;
            }
        }
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (!used[i]) {
                rest.add(words.get(i));
            }
        }
        ZonedDateTime due = null;
        boolean allDay = false;
        if (date == null && time == null && every != null) {
            // a repeating task needs its first date: the next matching weekday, otherwise today
            date = on != null && !on.isEmpty() ? next(dayOf(on.get(0)), true) : now.toLocalDate();
        }
        if (date != null || time != null) {
            LocalDate d = date;
            if (d == null) {
                // a time alone means the next time the clock shows it
                d = now.toLocalTime().isBefore(time) ? now.toLocalDate() : now.toLocalDate().plusDays(1);
            }
            allDay = time == null;
            due = allDay ? d.atStartOfDay(now.getZone()) : ZonedDateTime.of(d, time, now.getZone());
        }
        return new Parsed(String.join(" ", rest), due, allDay, priority, List.copyOf(tags), every, interval,
                on == null ? null : List.copyOf(on), List.copyOf(understood));
    }

    private String word(int i) {
        return i < words.size() && !used[i] ? words.get(i).toLowerCase(Locale.ROOT).replaceAll("[,.;]$", "") : null;
    }

    /** How many words from {@code i} form one piece of syntax; 0 when the word is part of the title. */
    private int token(int i) {
        String raw = words.get(i);
        String w = word(i);
        if (raw.length() > 1 && raw.startsWith("!") && priority == null) {
            Priority p = PRIORITIES.get(w.substring(1));
            if (p != null) {
                priority = p;
                understood.add("priority " + p.json());
                return 1;
            }
            return 0;
        }
        if (raw.length() > 1 && raw.startsWith("#") && !raw.startsWith("##")) {
            String tag = raw.substring(1);
            if (tag.length() <= 50 && tags.add(tag)) {
                understood.add("#" + tag);
            }
            return 1;
        }
        if (w.equals("every") && every == null) {
            return recurrence(i + 1);
        }
        if (every == null && Set.of("daily", "weekly", "monthly", "yearly").contains(w)) {
            every = switch (w) {
                case "daily" -> "day";
                case "weekly" -> "week";
                case "monthly" -> "month";
                default -> "year";
            };
            understood.add("every " + every);
            return 1;
        }
        if (date == null) {
            int n = date(i);
            if (n > 0) {
                return n;
            }
        }
        if (time == null) {
            return time(i);
        }
        return 0;
    }

    private int recurrence(int i) {
        String w = word(i);
        if (w == null) {
            return 0;
        }
        int n = 0;
        Integer count = null;
        if (NUMBER.matcher(w).matches() && Integer.parseInt(w) >= 1) {
            count = Integer.parseInt(w);
            n = 1;
        } else if (w.equals("other")) {
            count = 2;
            n = 1;
        }
        String unit = word(i + n);
        if (unit == null) {
            return 0;
        }
        if (UNITS.containsKey(unit)) {
            every = UNITS.get(unit);
            interval = count == null || count == 1 ? null : count;
            understood.add("every " + (interval == null ? "" : interval + " ") + every + (interval == null ? "" : "s"));
            return 1 + n + 1;
        }
        if (count != null) {
            return 0;
        }
        if (unit.equals("weekday") || unit.equals("weekdays")) {
            every = "week";
            on = List.of("MO", "TU", "WE", "TH", "FR");
            understood.add("every weekday");
            return 2;
        }
        // every monday, every mon,thu, every tuesday and friday
        List<String> days = new ArrayList<>();
        int k = i;
        while (true) {
            String d = word(k);
            if (d == null) {
                break;
            }
            List<String> parts = List.of(d.split(","));
            List<String> found = new ArrayList<>();
            for (String p : parts) {
                DayOfWeek day = DAYS.get(p.endsWith("s") && DAYS.containsKey(p.substring(0, p.length() - 1)) ? p.substring(0, p.length() - 1) : p);
                if (day == null) {
                    found = null;
                    break;
                }
                found.add(day.name().substring(0, 2));
            }
            if (found == null) {
                break;
            }
            days.addAll(found);
            k++;
            if ("and".equals(word(k)) && word(k + 1) != null && DAYS.containsKey(word(k + 1))) {
                k++;
            }
        }
        if (days.isEmpty()) {
            return 0;
        }
        every = "week";
        on = List.copyOf(new LinkedHashSet<>(days));
        understood.add("every " + String.join(", ", on));
        return 1 + (k - i);
    }

    private int date(int i) {
        String w = word(i);
        LocalDate today = now.toLocalDate();
        switch (w) {
            case "today", "tod" -> {
                return setDate(today, "today", 1);
            }
            case "tonight" -> {
                date = today;
                if (time == null) {
                    time = LocalTime.of(20, 0);
                }
                understood.add("tonight");
                return 1;
            }
            case "tomorrow", "tmr", "tmrw" -> {
                return setDate(today.plusDays(1), "tomorrow", 1);
            }
            default -> {
            }
        }
        if (w.equals("next")) {
            String n = word(i + 1);
            if (n == null) {
                return 0;
            }
            if (n.equals("week")) {
                return setDate(today.with(TemporalAdjusters.next(DayOfWeek.MONDAY)), "next week", 2);
            }
            if (n.equals("month")) {
                return setDate(today.plusMonths(1).withDayOfMonth(1), "next month", 2);
            }
            if (DAYS.containsKey(n)) {
                return setDate(next(DAYS.get(n), false), "next " + n, 2);
            }
            return 0;
        }
        if ((w.equals("on") || w.equals("due")) && word(i + 1) != null) {
            int n = dateWords(i + 1);
            return n == 0 ? 0 : n + 1;
        }
        if (w.equals("in") && word(i + 1) != null && word(i + 2) != null && NUMBER.matcher(word(i + 1)).matches()) {
            int count = Integer.parseInt(word(i + 1));
            String unit = word(i + 2);
            switch (unit) {
                case "min", "mins", "minute", "minutes" -> {
                    return relative(now.plusMinutes(count), "in " + count + " min");
                }
                case "h", "hour", "hours" -> {
                    return relative(now.plusHours(count), "in " + count + " h");
                }
                default -> {
                }
            }
            String u = UNITS.get(unit);
            if (u != null) {
                LocalDate d = switch (u) {
                    case "day" -> today.plusDays(count);
                    case "week" -> today.plusWeeks(count);
                    case "month" -> today.plusMonths(count);
                    default -> today.plusYears(count);
                };
                return setDate(d, "in " + count + " " + unit, 3);
            }
            return 0;
        }
        return dateWords(i);
    }

    /** A weekday, an ISO date, "24 dec" or "dec 24th": how many words it takes. */
    private int dateWords(int i) {
        String w = word(i);
        if (DAYS.containsKey(w)) {
            return setDate(next(DAYS.get(w), true), w, 1);
        }
        if (w.matches("\\d{4}-\\d{2}-\\d{2}")) {
            try {
                return setDate(LocalDate.parse(w), w, 1);
            } catch (DateTimeParseException e) {
                return 0;
            }
        }
        String n = word(i + 1);
        if (n != null) {
            Matcher day = ORDINAL.matcher(w);
            if (MONTHS.containsKey(w) && ORDINAL.matcher(n).matches()) {
                Matcher m = ORDINAL.matcher(n);
                m.matches();
                return monthDay(MONTHS.get(w), Integer.parseInt(m.group(1)), w + " " + n);
            }
            if (day.matches() && MONTHS.containsKey(n)) {
                return monthDay(MONTHS.get(n), Integer.parseInt(day.group(1)), w + " " + n);
            }
        }
        return 0;
    }

    private int monthDay(Month month, int day, String text) {
        if (day < 1 || day > month.maxLength()) {
            return 0;
        }
        LocalDate today = now.toLocalDate();
        LocalDate d = LocalDate.of(today.getYear(), month, Math.min(day, month.length(today.isLeapYear())));
        if (d.isBefore(today)) {
            d = LocalDate.of(today.getYear() + 1, month, Math.min(day, month.length(java.time.Year.isLeap(today.getYear() + 1))));
        }
        return setDate(d, text, 2);
    }

    private int relative(ZonedDateTime at, String text) {
        date = at.toLocalDate();
        time = at.toLocalTime().withSecond(0).withNano(0);
        understood.add(text);
        return 3;
    }

    private int setDate(LocalDate d, String text, int words) {
        date = d;
        understood.add(text);
        return words;
    }

    private int time(int i) {
        String w = word(i);
        if (w.equals("at") && word(i + 1) != null) {
            int n = timeWords(i + 1, true);
            return n == 0 ? 0 : n + 1;
        }
        return timeWords(i, false);
    }

    private int timeWords(int i, boolean afterAt) {
        String w = word(i);
        if (w.equals("noon")) {
            return setTime(LocalTime.NOON, 1);
        }
        if (w.equals("midnight")) {
            return setTime(LocalTime.MIDNIGHT, 1);
        }
        String next = word(i + 1);
        int n = 1;
        String text = w;
        if (next != null && (next.equals("am") || next.equals("pm")) && w.matches("\\d{1,2}(:\\d{2})?")) {
            text = w + next;
            n = 2;
        }
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            return 0;
        }
        boolean hasMinutes = m.group(2) != null;
        String ampm = m.group(3);
        if (!hasMinutes && ampm == null && !afterAt) {
            return 0; // a bare number is part of the title ("Buy 3 apples")
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = hasMinutes ? Integer.parseInt(m.group(2)) : 0;
        if (minute > 59) {
            return 0;
        }
        if (ampm != null) {
            if (hour < 1 || hour > 12) {
                return 0;
            }
            hour = hour % 12 + (ampm.equals("pm") ? 12 : 0);
        } else if (hour > 23) {
            return 0;
        }
        return setTime(LocalTime.of(hour, minute), n);
    }

    private int setTime(LocalTime t, int words) {
        time = t;
        understood.add(String.format(Locale.ROOT, "%02d:%02d", t.getHour(), t.getMinute()));
        return words;
    }

    private LocalDate next(DayOfWeek day, boolean includeToday) {
        LocalDate today = now.toLocalDate();
        return includeToday ? today.with(TemporalAdjusters.nextOrSame(day)) : today.with(TemporalAdjusters.next(day));
    }

    private static DayOfWeek dayOf(String twoLetters) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(twoLetters)) {
                return d;
            }
        }
        throw new IllegalArgumentException(twoLetters);
    }
}
