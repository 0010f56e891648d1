package dev.todo.web;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class QueryParamsTest {

    @Test
    void everyProblemIsCollectedWithOneWordingPerKind() {
        QueryParams q = new QueryParams(Map.of("limit", List.of("0"), "open", List.of("yes"), "bucket", List.of("month"),
                "taskId", List.of("x"), "from", List.of("yesterday"), "to", List.of("1800-01-01T00:00:00Z"),
                "cursor", List.of("a", "b"), "bogus", List.of("1")), Set.of("limit", "open", "bucket", "taskId", "from", "to", "cursor"));
        assertThat(q.integer("limit", 1, 200, 50)).isEqualTo(50);
        assertThat(q.bool("open", true)).isTrue();
        assertThat(q.oneOf("bucket", List.of("day", "week"), "day")).isNull();
        assertThat(q.uuid("taskId", "a task id")).isNull();
        assertThat(q.instant("from")).isNull();
        assertThat(q.instant("to")).isNull();
        assertThat(q.single("cursor")).isEqualTo("a");
        ApiException e = catchThrowableOfType(ApiException.class, q::throwIfInvalid);
        assertThat(e.errors()).extracting(f -> f.field() + ": " + f.message()).containsExactlyInAnyOrder(
                "bogus: unknown query parameter; allowed are bucket, cursor, from, limit, open, taskId, to",
                "limit: must be an integer between 1 and 200; got '0'",
                "open: must be true or false; got 'yes'",
                "bucket: unknown value 'month'; allowed values are day, week",
                "taskId: must be a task id (a UUID); got 'x'",
                "from: must be an ISO-8601 date-time with an offset, e.g. 2026-03-29T09:00:00Z; got 'yesterday'",
                "to: must be between the years 1900 and 9999",
                "cursor: may be given only once");
    }

    @Test
    void absentParametersTakeTheirDefaultsAndNothingIsWrong() {
        QueryParams q = new QueryParams(Map.of(), Set.of("limit"));
        assertThat(q.integer("limit", 1, 200, 50)).isEqualTo(50);
        assertThat(q.bool("open", true)).isTrue();
        assertThat(q.oneOf("bucket", List.of("day", "week"), "day")).isEqualTo("day");
        q.throwIfInvalid();
        assertThat(q.errors()).isEmpty();
    }

    @Test
    void aMalformedPathIdIsNotFound() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> Ids.parse("not-a-uuid", "The task"));
        assertThat(e.status().getCode()).isEqualTo(404);
    }
}
