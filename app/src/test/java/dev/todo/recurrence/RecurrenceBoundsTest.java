package dev.todo.recurrence;

import dev.todo.web.ApiException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The work a rule may cause is bounded, and a series never ends without a reason. */
class RecurrenceBoundsTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static String all(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "YEARLY;BYMONTH=%M;BYMONTHDAY=%D;BYHOUR=%H;BYMINUTE=%m;BYSECOND=%m",
            "DAILY;BYHOUR=%H;BYMINUTE=%m;BYSECOND=%m",
            "MINUTELY;BYSECOND=%m",
            "HOURLY;BYMINUTE=%m;BYSECOND=0,30",
            "MONTHLY;BYMONTHDAY=%D;BYHOUR=%H;BYMINUTE=%m",
            "DAILY;COUNT=10001",
    })
    void explosiveRulesAreRefusedAtWriteTimeNamingTheField(String template) {
        String rule = "FREQ=" + template.replace("%M", all(1, 12)).replace("%D", all(1, 31)).replace("%H", all(0, 23))
                .replace("%m", all(0, 59));
        assertThatThrownBy(() -> Recurrence.parseRule(rule, "recurrence.rule"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errors()).hasSize(1);
                    assertThat(e.errors().get(0).field()).isEqualTo("recurrence.rule");
                    assertThat(e.errors().get(0).message()).containsAnyOf("occurrences a day", "occurrences in one", "COUNT must be at most");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"FREQ=MINUTELY", "FREQ=MINUTELY;BYSECOND=30", "FREQ=HOURLY;BYMINUTE=0,15,30,45",
            "FREQ=DAILY;BYHOUR=8,12,18", "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=1,15;BYHOUR=9",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,17", "FREQ=DAILY;COUNT=10000"})
    void ordinaryRulesStayAccepted(String rule) {
        assertThat(Recurrence.parseRule(rule, "recurrence.rule")).isNotNull();
    }

    @Test
    void aStoredExplosiveRuleEndsItsSeriesWithAReasonInsteadOfBeingExpanded() {
        RecurrenceRule stored = Recurrence.parseUnbounded("FREQ=YEARLY;BYMONTH=" + all(1, 12) + ";BYMONTHDAY=" + all(1, 31)
                + ";BYHOUR=" + all(0, 23) + ";BYMINUTE=" + all(0, 59) + ";BYSECOND=" + all(0, 59), "recurrence.rule");
        ZonedDateTime start = ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, BERLIN);
        OccurrencePlanner.Plan plan = OccurrencePlanner.plan(stored, List.of(), start, start.toInstant(), 10);
        assertThat(plan.items()).isEmpty();
        assertThat(plan.ended()).contains("occurrences a day");
    }

    @Test
    void aMinutelySeriesKeepsGoingYearsAfterItsStart() {
        RecurrenceRule rule = Recurrence.parseRule("FREQ=MINUTELY", "recurrence.rule");
        ZonedDateTime start = ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, BERLIN);
        Instant later = start.plusYears(3).plusSeconds(30).toInstant();
        OccurrencePlanner.Plan plan = OccurrencePlanner.plan(rule, List.of(), start, later, 3);
        assertThat(plan.ended()).isNull();
        assertThat(plan.items()).extracting(ZonedDateTime::toInstant)
                .containsExactly(later.plusSeconds(30), later.plusSeconds(90), later.plusSeconds(150));
        // and the old way (from the series start) ran out of its budget after ~69 days
        assertThat(OccurrencePlanner.plan(rule, List.of(), start, later, 3, false).ended()).contains("gave up");
    }

    @Test
    void seriesEndingsSayWhy() {
        ZonedDateTime start = ZonedDateTime.of(2026, 1, 5, 9, 0, 0, 0, BERLIN);
        assertThat(OccurrencePlanner.plan(Recurrence.parseRule("FREQ=DAILY;COUNT=3", "r"), List.of(), start,
                start.plusDays(5).toInstant(), 1).ended()).isEqualTo("the series reached its COUNT of 3 occurrences");
        assertThat(OccurrencePlanner.plan(Recurrence.parseRule("FREQ=DAILY;UNTIL=20260107T080000Z", "r"), List.of(), start,
                start.plusDays(5).toInstant(), 1).ended()).isEqualTo("the series passed its UNTIL date");
        assertThat(OccurrencePlanner.plan(Recurrence.parseRule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "r"), List.of(), start,
                start.toInstant(), 1).ended()).startsWith("the rule has no further occurrences");
    }

    @Test
    void subDailyFromCompletionRestartsAtTheCompletionInstant() {
        ZonedDateTime start = ZonedDateTime.of(2026, 3, 2, 10, 0, 0, 0, BERLIN);
        Instant completed = ZonedDateTime.of(2026, 3, 5, 3, 40, 0, 0, BERLIN).toInstant();
        var next = OccurrencePlanner.nextAfterCompletion(Recurrence.parseRule("FREQ=HOURLY", "r"), List.of(), start, completed, 4);
        assertThat(next.first()).contains(ZonedDateTime.of(2026, 3, 5, 4, 40, 0, 0, BERLIN));
        var everyTwoHours = OccurrencePlanner.nextAfterCompletion(Recurrence.parseRule("FREQ=HOURLY;INTERVAL=2", "r"), List.of(),
                start, completed, 4);
        assertThat(everyTwoHours.first()).contains(ZonedDateTime.of(2026, 3, 5, 5, 40, 0, 0, BERLIN));
        var daily = OccurrencePlanner.nextAfterCompletion(Recurrence.parseRule("FREQ=DAILY", "r"), List.of(), start, completed, 4);
        assertThat(daily.first()).as("a daily rule keeps the series' time of day").contains(ZonedDateTime.of(2026, 3, 6, 10, 0, 0, 0, BERLIN));
    }

    /**
     * Starting expansion near the point of interest gives exactly what expanding from the series'
     * start gives, for rules whose implied parts (day of month, Feb 29, weekday) the move could change.
     */
    @Test
    void startingNearThePointOfInterestChangesNoOccurrence() {
        List<String> rules = List.of("FREQ=MONTHLY", "FREQ=MONTHLY;INTERVAL=3", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYMONTHDAY=-3",
                "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=YEARLY", "FREQ=YEARLY;INTERVAL=2", "FREQ=YEARLY;BYMONTH=3,9",
                "FREQ=YEARLY;BYWEEKNO=20", "FREQ=YEARLY;BYWEEKNO=1,52;BYDAY=MO", "FREQ=YEARLY;BYYEARDAY=1,100,-1", "FREQ=YEARLY;BYDAY=20MO",
                "FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH",
                "FREQ=DAILY;INTERVAL=3", "FREQ=DAILY;BYHOUR=8,20", "FREQ=HOURLY;INTERVAL=5", "FREQ=HOURLY;BYMINUTE=0,30",
                "FREQ=MINUTELY;INTERVAL=7", "FREQ=MINUTELY;INTERVAL=90", "FREQ=DAILY;UNTIL=20310101T000000Z");
        Random random = new Random(13);
        List<LocalDateTime> starts = List.of(LocalDateTime.of(2024, 1, 31, 9, 30, 15), LocalDateTime.of(2024, 2, 29, 23, 59),
                LocalDateTime.of(2026, 3, 29, 2, 30), LocalDateTime.of(2025, 12, 31, 0, 0), LocalDateTime.of(2026, 1, 5, 12, 0));
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (String text : rules) {
            RecurrenceRule rule = Recurrence.parseRule(text, "r");
            for (LocalDateTime s : starts) {
                ZonedDateTime start = ZonedDateTime.ofLocal(s, BERLIN, null);
                for (int i = 0; i < 4; i++) {
                    Duration span = text.contains("MINUTELY") ? Duration.ofDays(random.nextInt(20))
                            : text.contains("HOURLY") ? Duration.ofDays(random.nextInt(400)) : Duration.ofDays(random.nextInt(4000));
                    Instant after = start.toInstant().plus(span).plusSeconds(random.nextInt(86_400));
                    var near = OccurrencePlanner.plan(rule, List.of(), start, after, 5, true);
                    var full = OccurrencePlanner.plan(rule, List.of(), start, after, 5, false);
                    compared++;
                    if (!near.items().equals(full.items())) {
                        mismatches.add(text + " from " + s + " after " + after + ": " + near.items() + " != " + full.items());
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(400);
        assertThat(mismatches).isEmpty();
    }
}
