package dev.todo.ui;

import dev.todo.tasks.Priority;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuickAddTest {

    // Wednesday 2 December 2026, 14:30 in Berlin
    static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 2, 14, 30, 0, 0, ZoneId.of("Europe/Berlin"));

    @Test
    void theExampleFromTheHelp() {
        QuickAdd.Parsed p = QuickAdd.parse("Pay rent tomorrow 9am !high #home every month", NOW);
        assertThat(p.title()).isEqualTo("Pay rent");
        assertThat(p.due()).isEqualTo(ZonedDateTime.of(2026, 12, 3, 9, 0, 0, 0, NOW.getZone()));
        assertThat(p.allDay()).isFalse();
        assertThat(p.priority()).isEqualTo(Priority.HIGH);
        assertThat(p.tags()).containsExactly("home");
        assertThat(p.every()).isEqualTo("month");
        assertThat(p.interval()).isNull();
    }

    @Test
    void whatIsNotUnderstoodStaysInTheTitleInItsOrder() {
        QuickAdd.Parsed p = QuickAdd.parse("Buy 3 apples at the market !bogus every blue moon", NOW);
        assertThat(p.title()).isEqualTo("Buy 3 apples at the market !bogus every blue moon");
        assertThat(p.due()).isNull();
        assertThat(p.priority()).isNull();
        assertThat(p.every()).isNull();
        assertThat(p.understood()).isEmpty();
    }

    @Test
    void aDateAloneIsAllDayAndATimeAloneIsTheNextTimeTheClockShowsIt() {
        assertThat(QuickAdd.parse("Dentist fri", NOW).due()).isEqualTo(ZonedDateTime.of(2026, 12, 4, 0, 0, 0, 0, NOW.getZone()));
        assertThat(QuickAdd.parse("Dentist fri", NOW).allDay()).isTrue();
        assertThat(QuickAdd.parse("Standup 9:15", NOW).due()).isEqualTo(ZonedDateTime.of(2026, 12, 3, 9, 15, 0, 0, NOW.getZone()));
        assertThat(QuickAdd.parse("Tea at 5pm", NOW).due()).isEqualTo(ZonedDateTime.of(2026, 12, 2, 17, 0, 0, 0, NOW.getZone()));
        assertThat(QuickAdd.parse("Tea at 5pm", NOW).title()).isEqualTo("Tea");
    }

    @Test
    void datesInSeveralForms() {
        assertThat(QuickAdd.parse("x 24 dec", NOW).due().toLocalDate()).hasToString("2026-12-24");
        assertThat(QuickAdd.parse("x dec 24th 18:00", NOW).due()).isEqualTo(ZonedDateTime.of(2026, 12, 24, 18, 0, 0, 0, NOW.getZone()));
        assertThat(QuickAdd.parse("x 1 jan", NOW).due().toLocalDate()).hasToString("2027-01-01"); // already past this year
        assertThat(QuickAdd.parse("x 2027-03-29", NOW).due().toLocalDate()).hasToString("2027-03-29");
        assertThat(QuickAdd.parse("x next week", NOW).due().toLocalDate()).hasToString("2026-12-07");
        assertThat(QuickAdd.parse("x in 3 days", NOW).due().toLocalDate()).hasToString("2026-12-05");
        assertThat(QuickAdd.parse("x in 2 hours", NOW).due()).isEqualTo(NOW.plusHours(2));
        assertThat(QuickAdd.parse("x tonight", NOW).due()).isEqualTo(ZonedDateTime.of(2026, 12, 2, 20, 0, 0, 0, NOW.getZone()));
        assertThat(QuickAdd.parse("x 31 feb", NOW).title()).isEqualTo("x 31 feb");
    }

    @Test
    void repeats() {
        QuickAdd.Parsed weekly = QuickAdd.parse("Gym every mon, thu 7am", NOW);
        assertThat(weekly.every()).isEqualTo("week");
        assertThat(weekly.on()).containsExactly("MO", "TH");
        assertThat(weekly.title()).isEqualTo("Gym");
        // without a date, a repeating task starts on its next matching day
        assertThat(weekly.due()).isEqualTo(ZonedDateTime.of(2026, 12, 3, 7, 0, 0, 0, NOW.getZone()));
        assertThat(weekly.due().getDayOfWeek()).isEqualTo(java.time.DayOfWeek.THURSDAY);

        QuickAdd.Parsed other = QuickAdd.parse("Bins every 2 weeks", NOW);
        assertThat(other.every()).isEqualTo("week");
        assertThat(other.interval()).isEqualTo(2);
        assertThat(other.due().toLocalDate()).isEqualTo(NOW.toLocalDate());
        assertThat(QuickAdd.parse("Report every weekday", NOW).on()).containsExactly("MO", "TU", "WE", "TH", "FR");
        assertThat(QuickAdd.parse("Water daily", NOW).every()).isEqualTo("day");
        assertThat(QuickAdd.parse("Call every other week", NOW).interval()).isEqualTo(2);
    }

    @Test
    void tagsAndPriorities() {
        QuickAdd.Parsed p = QuickAdd.parse("#work Review PR !1 #urgent-ish #work", NOW);
        assertThat(p.tags()).isEqualTo(List.of("work", "urgent-ish"));
        assertThat(p.priority()).isEqualTo(Priority.URGENT);
        assertThat(p.title()).isEqualTo("Review PR");
        // a second priority is text
        assertThat(QuickAdd.parse("a !low !high", NOW).title()).isEqualTo("a !high");
    }
}
