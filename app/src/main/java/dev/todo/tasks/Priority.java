package dev.todo.tasks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Stored as its rank so that sorting by priority is sorting by a small integer. */
public enum Priority {
    NONE, LOW, MEDIUM, HIGH, URGENT;

    public static final String ALLOWED = Arrays.stream(values()).map(Priority::json).collect(Collectors.joining(", "));

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public short rank() {
        return (short) ordinal();
    }

    public static Priority ofRank(int rank) {
        return values()[rank];
    }

    public static Optional<Priority> parse(String s) {
        return Arrays.stream(values()).filter(p -> p.json().equals(s)).findFirst();
    }
}
