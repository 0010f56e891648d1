package dev.todo.ui;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class WhenTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Instant NOW = Instant.parse("2026-12-02T13:30:00Z"); // Wednesday 14:30 in Berlin

    static String rel(String at) {
        return When.relative(Instant.parse(at), false, BERLIN, NOW);
    }

    @Test
    void relativeTimes() {
        assertThat(rel("2026-12-02T13:30:20Z")).isEqualTo("now");
        assertThat(rel("2026-12-02T13:55:00Z")).isEqualTo("in 25 min");
        assertThat(rel("2026-12-02T15:30:00Z")).isEqualTo("in 2 hours");
        assertThat(rel("2026-12-02T12:30:00Z")).isEqualTo("1 hour ago");
        assertThat(rel("2026-12-03T08:00:00Z")).isEqualTo("tomorrow 09:00");
        assertThat(rel("2026-12-01T08:00:00Z")).isEqualTo("yesterday 09:00");
        assertThat(rel("2026-12-05T08:00:00Z")).isEqualTo("Sat 09:00");
        assertThat(rel("2026-11-28T08:00:00Z")).isEqualTo("last Sat 09:00");
        assertThat(rel("2026-12-24T17:00:00Z")).isEqualTo("24 Dec 18:00");
        assertThat(rel("2027-01-10T08:00:00Z")).isEqualTo("10 Jan 2027 09:00");
    }

    @Test
    void allDayTasksHaveNoTime() {
        assertThat(When.relative(Instant.parse("2026-12-01T23:00:00Z"), true, BERLIN, NOW)).isEqualTo("today");
        assertThat(When.relative(Instant.parse("2026-12-02T23:00:00Z"), true, BERLIN, NOW)).isEqualTo("tomorrow");
        assertThat(When.exact(Instant.parse("2026-12-02T23:00:00Z"), true, BERLIN)).isEqualTo("Thursday 3 December 2026 (all day), Europe/Berlin");
    }

    @Test
    void exactTime() {
        assertThat(When.exact(Instant.parse("2026-12-03T08:00:00Z"), false, BERLIN)).isEqualTo("Thursday 3 December 2026, 09:00, Europe/Berlin");
    }
}
