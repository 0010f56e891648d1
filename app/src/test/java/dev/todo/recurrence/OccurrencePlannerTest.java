package dev.todo.recurrence;

import dev.todo.web.ApiException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OccurrencePlannerTest {

    static final ZoneId NY = ZoneId.of("America/New_York");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static RecurrenceRule rule(String text) {
        return Recurrence.parseRule(text, "recurrence.rule");
    }

    /** Occurrences from DTSTART on (DTSTART included), at most {@code n}. */
    static List<ZonedDateTime> expand(String rule, ZonedDateTime start, int n) {
        return expand(rule, List.of(), start, n);
    }

    static List<ZonedDateTime> expand(String rule, List<Instant> exdates, ZonedDateTime start, int n) {
        return OccurrencePlanner.after(rule(rule), exdates, start, start.toInstant().minusSeconds(1), n);
    }

    static ZonedDateTime ny(int y, int m, int d) {
        return ZonedDateTime.of(y, m, d, 9, 0, 0, 0, NY);
    }

    static List<ZonedDateTime> nyDates(String... isoDates) {
        return Stream.of(isoDates).map(s -> LocalDate.parse(s).atTime(9, 0).atZone(NY)).toList();
    }

    /** RFC 5545 section 3.8.5.3 examples: DTSTART;TZID=America/New_York, 09:00 local. */
    @Nested
    class Rfc5545Examples {

        @Test
        void dailyForTenOccurrences() {
            assertThat(expand("FREQ=DAILY;COUNT=10", ny(1997, 9, 2), 100)).containsExactlyElementsOf(nyDates(
                    "1997-09-02", "1997-09-03", "1997-09-04", "1997-09-05", "1997-09-06", "1997-09-07", "1997-09-08",
                    "1997-09-09", "1997-09-10", "1997-09-11"));
        }

        @Test
        void dailyUntilDecember24InclusiveAcrossTheEndOfDaylightSavingTime() {
            List<ZonedDateTime> all = expand("FREQ=DAILY;UNTIL=19971224T000000Z", ny(1997, 9, 2), 1000);
            assertThat(all).hasSize(113);
            assertThat(all.get(0).toString()).isEqualTo("1997-09-02T09:00-04:00[America/New_York]");
            assertThat(all.get(all.size() - 1).toString()).isEqualTo("1997-12-23T09:00-05:00[America/New_York]");
            assertThat(all).allMatch(t -> t.getHour() == 9);
        }

        @Test
        void everyTenDaysFiveOccurrences() {
            assertThat(expand("FREQ=DAILY;INTERVAL=10;COUNT=5", ny(1997, 9, 2), 100))
                    .containsExactlyElementsOf(nyDates("1997-09-02", "1997-09-12", "1997-09-22", "1997-10-02", "1997-10-12"));
        }

        @Test
        void weeklyForTenOccurrences() {
            assertThat(expand("FREQ=WEEKLY;COUNT=10", ny(1997, 9, 2), 100)).containsExactlyElementsOf(nyDates(
                    "1997-09-02", "1997-09-09", "1997-09-16", "1997-09-23", "1997-09-30", "1997-10-07", "1997-10-14",
                    "1997-10-21", "1997-10-28", "1997-11-04"));
        }

        @Test
        void weeklyOnTuesdayAndThursdayForFiveWeeks() {
            assertThat(expand("FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH", ny(1997, 9, 2), 100))
                    .containsExactlyElementsOf(nyDates("1997-09-02", "1997-09-04", "1997-09-09", "1997-09-11", "1997-09-16",
                            "1997-09-18", "1997-09-23", "1997-09-25", "1997-09-30", "1997-10-02"));
        }

        @Test
        void monthlyOnTheFirstFridayForTenOccurrences() {
            assertThat(expand("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", ny(1997, 9, 5), 100)).containsExactlyElementsOf(nyDates(
                    "1997-09-05", "1997-10-03", "1997-11-07", "1997-12-05", "1998-01-02", "1998-02-06", "1998-03-06",
                    "1998-04-03", "1998-05-01", "1998-06-05"));
        }

        @Test
        void monthlyOnTheSecondToLastMondayForSixMonths() {
            assertThat(expand("FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", ny(1997, 9, 22), 100)).containsExactlyElementsOf(nyDates(
                    "1997-09-22", "1997-10-20", "1997-11-17", "1997-12-22", "1998-01-19", "1998-02-16"));
        }

        @Test
        void monthlyOnTheThirdToLastDay() {
            assertThat(expand("FREQ=MONTHLY;BYMONTHDAY=-3", ny(1997, 9, 28), 6)).containsExactlyElementsOf(nyDates(
                    "1997-09-28", "1997-10-29", "1997-11-28", "1997-12-29", "1998-01-29", "1998-02-26"));
        }

        @Test
        void lastWorkdayOfTheMonthViaBysetpos() {
            assertThat(expand("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", ny(1997, 9, 30), 7)).containsExactlyElementsOf(nyDates(
                    "1997-09-30", "1997-10-31", "1997-11-28", "1997-12-31", "1998-01-30", "1998-02-27", "1998-03-31"));
        }

        @Test
        void weekStartChangesWhichDaysAnEveryOtherWeekRuleHits() {
            assertThat(expand("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", ny(1997, 8, 5), 100))
                    .containsExactlyElementsOf(nyDates("1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"));
            assertThat(expand("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", ny(1997, 8, 5), 100))
                    .containsExactlyElementsOf(nyDates("1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"));
        }

        @Test
        void everyTwentiethMondayOfTheYear() {
            assertThat(expand("FREQ=YEARLY;BYDAY=20MO", ny(1997, 5, 19), 3))
                    .containsExactlyElementsOf(nyDates("1997-05-19", "1998-05-18", "1999-05-17"));
        }

        @Test
        void mondayOfIsoWeekTwenty() {
            assertThat(expand("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", ny(1997, 5, 12), 3))
                    .containsExactlyElementsOf(nyDates("1997-05-12", "1998-05-11", "1999-05-17"));
        }

        @Test
        void everyThirdYearOnDays1_100_200() {
            assertThat(expand("FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", ny(1997, 1, 1), 100))
                    .containsExactlyElementsOf(nyDates("1997-01-01", "1997-04-10", "1997-07-19", "2000-01-01", "2000-04-09",
                            "2000-07-18", "2003-01-01", "2003-04-10", "2003-07-19", "2006-01-01"));
        }

        @Test
        void everyFridayThe13thExcludingTheStart() {
            assertThat(expand("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", List.of(ny(1997, 9, 2).toInstant()), ny(1997, 9, 2), 5))
                    .containsExactlyElementsOf(nyDates("1998-02-13", "1998-03-13", "1998-11-13", "1999-08-13", "2000-10-13"));
        }
    }

    @Nested
    class EdgeCases {

        @Test
        void monthEndsSkipMonthsWithoutThatDay() {
            ZonedDateTime start = ZonedDateTime.of(2026, 1, 31, 9, 0, 0, 0, BERLIN);
            assertThat(expand("FREQ=MONTHLY;BYMONTHDAY=31", start, 5)).extracting(t -> t.toLocalDate().toString())
                    .containsExactly("2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31");
            assertThat(expand("FREQ=MONTHLY", start, 3)).extracting(t -> t.toLocalDate().toString())
                    .as("Jan 31 + 1 month is not Mar 3").containsExactly("2026-01-31", "2026-03-31", "2026-05-31");
        }

        @Test
        void february29thYearlyOnlyInLeapYears() {
            ZonedDateTime start = ZonedDateTime.of(2024, 2, 29, 8, 0, 0, 0, BERLIN);
            assertThat(expand("FREQ=YEARLY", start, 3)).extracting(t -> t.toLocalDate().toString())
                    .containsExactly("2024-02-29", "2028-02-29", "2032-02-29");
        }

        @Test
        void dailyNineOClockStaysOnTheWallClockAcrossBothBerlinTransitions() {
            assertThat(expand("FREQ=DAILY;COUNT=3", ZonedDateTime.of(2026, 3, 28, 9, 0, 0, 0, BERLIN), 10))
                    .extracting(ZonedDateTime::toOffsetDateTime).extracting(Object::toString)
                    .containsExactly("2026-03-28T09:00+01:00", "2026-03-29T09:00+02:00", "2026-03-30T09:00+02:00");
            assertThat(expand("FREQ=DAILY;COUNT=3", ZonedDateTime.of(2026, 10, 24, 9, 0, 0, 0, BERLIN), 10))
                    .extracting(ZonedDateTime::toOffsetDateTime).extracting(Object::toString)
                    .containsExactly("2026-10-24T09:00+02:00", "2026-10-25T09:00+01:00", "2026-10-26T09:00+01:00");
        }

        @Test
        void newYorkTransitionsKeepTheLocalTime() {
            assertThat(expand("FREQ=WEEKLY;COUNT=2", ZonedDateTime.of(2026, 3, 1, 9, 0, 0, 0, NY), 10))
                    .extracting(t -> t.toInstant().toString()).containsExactly("2026-03-01T14:00:00Z", "2026-03-08T13:00:00Z");
            assertThat(expand("FREQ=WEEKLY;COUNT=2", ZonedDateTime.of(2026, 10, 25, 9, 0, 0, 0, NY), 10))
                    .extracting(t -> t.toInstant().toString()).containsExactly("2026-10-25T13:00:00Z", "2026-11-01T14:00:00Z");
        }

        @Test
        void aTimeInTheSpringGapMovesForwardByTheGapAndAnAmbiguousOneTakesTheFirstInstant() {
            assertThat(expand("FREQ=DAILY;COUNT=3", ZonedDateTime.of(2026, 3, 28, 2, 30, 0, 0, BERLIN), 10))
                    .extracting(ZonedDateTime::toOffsetDateTime).extracting(Object::toString)
                    .containsExactly("2026-03-28T02:30+01:00", "2026-03-29T03:30+02:00", "2026-03-30T02:30+02:00");
            assertThat(expand("FREQ=DAILY;COUNT=3", ZonedDateTime.of(2026, 10, 24, 2, 30, 0, 0, BERLIN), 10))
                    .extracting(ZonedDateTime::toOffsetDateTime).extracting(Object::toString)
                    .containsExactly("2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00");
            assertThat(expand("FREQ=DAILY;COUNT=2", ZonedDateTime.of(2026, 3, 7, 2, 30, 0, 0, NY), 10))
                    .extracting(t -> t.toInstant().toString()).containsExactly("2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z");
        }

        @Test
        void untilIsInclusive() {
            ZonedDateTime start = ZonedDateTime.of(2026, 1, 5, 9, 0, 0, 0, BERLIN);
            assertThat(expand("FREQ=DAILY;UNTIL=20260107T080000Z", start, 10)).hasSize(3);
            assertThat(expand("FREQ=DAILY;UNTIL=20260107T075959Z", start, 10)).hasSize(2);
        }

        @Test
        void countIncludesExcludedDates() {
            ZonedDateTime start = ZonedDateTime.of(2026, 1, 5, 9, 0, 0, 0, BERLIN);
            assertThat(expand("FREQ=DAILY;COUNT=5", List.of(start.plusDays(1).toInstant()), start, 10))
                    .extracting(t -> t.getDayOfMonth()).containsExactly(5, 7, 8, 9);
        }

        @Test
        void aRuleThatNeverMatchesEndsInsteadOfLoopingForever() {
            assertThat(expand("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", ZonedDateTime.of(2026, 1, 1, 9, 0, 0, 0, BERLIN), 3))
                    .hasSizeLessThanOrEqualTo(1);
        }
    }

    @Nested
    class NextOccurrence {

        final ZonedDateTime start = ZonedDateTime.of(2026, 1, 10, 9, 0, 0, 0, BERLIN);

        @Test
        void fromDueSkipsMissedOccurrences() {
            Instant now = ZonedDateTime.of(2026, 1, 14, 18, 0, 0, 0, BERLIN).toInstant();
            assertThat(OccurrencePlanner.nextAfterDue(rule("FREQ=DAILY;INTERVAL=3"), List.of(), start, start.toInstant(), now).first())
                    .hasValue(ZonedDateTime.of(2026, 1, 16, 9, 0, 0, 0, BERLIN));
        }

        @Test
        void fromDueCompletedEarlyGoesToTheNextAfterTheDueDate() {
            Instant now = ZonedDateTime.of(2026, 1, 8, 12, 0, 0, 0, BERLIN).toInstant();
            assertThat(OccurrencePlanner.nextAfterDue(rule("FREQ=DAILY;INTERVAL=3"), List.of(), start, start.toInstant(), now).first())
                    .hasValue(ZonedDateTime.of(2026, 1, 13, 9, 0, 0, 0, BERLIN));
        }

        @Test
        void fromCompletionReanchorsKeepingTheTimeOfDay() {
            Instant completed = ZonedDateTime.of(2026, 1, 14, 18, 0, 0, 0, BERLIN).toInstant();
            assertThat(OccurrencePlanner.nextAfterCompletion(rule("FREQ=DAILY;INTERVAL=3"), List.of(), start, completed, 1).first())
                    .hasValue(ZonedDateTime.of(2026, 1, 17, 9, 0, 0, 0, BERLIN));
        }

        @Test
        void countAndUntilEndTheSeries() {
            Instant now = start.toInstant();
            ZonedDateTime third = start.plusDays(2);
            assertThat(OccurrencePlanner.nextAfterDue(rule("FREQ=DAILY;COUNT=3"), List.of(), start, third.toInstant(), now).first()).isEmpty();
            assertThat(OccurrencePlanner.nextAfterDue(rule("FREQ=DAILY;UNTIL=20260112T080000Z"), List.of(), start,
                    third.toInstant(), now).first()).isEmpty();
            assertThat(OccurrencePlanner.nextAfterCompletion(rule("FREQ=DAILY;COUNT=3"), List.of(), start, third.toInstant(), 3).first()).isEmpty();
            assertThat(OccurrencePlanner.nextAfterCompletion(rule("FREQ=DAILY;COUNT=3"), List.of(), start, third.toInstant(), 2).first()).isPresent();
        }
    }

    @Nested
    class Validation {

        @Test
        void rejectsUnknownPartsCountWithUntilAndGarbage() {
            assertThatThrownBy(() -> rule("FREQ=DAILY;FOO=1")).isInstanceOf(ApiException.class);
            assertThatThrownBy(() -> rule("FREQ=DAILY;COUNT=3;UNTIL=20260101T000000Z")).isInstanceOf(ApiException.class)
                    .hasMessageContaining("COUNT and UNTIL");
            assertThatThrownBy(() -> rule("every tuesday")).isInstanceOf(ApiException.class);
            assertThatThrownBy(() -> rule("")).isInstanceOf(ApiException.class);
            assertThatThrownBy(() -> rule("FREQ=SECONDLY")).isInstanceOf(ApiException.class);
            assertThat(rule("RRULE:FREQ=WEEKLY;BYDAY=MO").getFreq().name()).isEqualTo("WEEKLY");
        }

        @Test
        void simpleFormBecomesTheEquivalentRrule() {
            assertThat(Recurrence.fromSimple("week", 2, List.of("mo", "TH"), "recurrence"))
                    .isEqualTo("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH");
            assertThat(Recurrence.fromSimple("day", null, null, "recurrence")).isEqualTo("FREQ=DAILY");
            assertThatThrownBy(() -> Recurrence.fromSimple("fortnight", 1, null, "recurrence")).isInstanceOf(ApiException.class);
            assertThatThrownBy(() -> Recurrence.fromSimple("week", 0, null, "recurrence")).isInstanceOf(ApiException.class);
            assertThatThrownBy(() -> Recurrence.fromSimple("week", 1, List.of("XX"), "recurrence")).isInstanceOf(ApiException.class);
        }
    }
}
