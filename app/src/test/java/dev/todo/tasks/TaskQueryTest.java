package dev.todo.tasks;

import dev.todo.tasks.TaskQuery.SortField;
import dev.todo.tasks.TaskQuery.SortKey;
import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TaskQueryTest {

    private static TaskQuery parse(Map<String, List<String>> params) {
        return TaskQuery.parse(params);
    }

    @Test
    void defaultsToOpenTasksByDueThenPriorityThenCreation() {
        TaskQuery q = parse(Map.of());
        assertThat(q.status()).isEqualTo(TaskQuery.Status.OPEN);
        assertThat(q.limit()).isEqualTo(50);
        assertThat(q.sort()).containsExactly(new SortKey(SortField.DUE_AT, false), new SortKey(SortField.PRIORITY, true),
                new SortKey(SortField.CREATED_AT, false));
    }

    @Test
    void searchWithoutExplicitSortOrdersByRelevanceFirst() {
        assertThat(parse(Map.of("q", List.of("meeting"))).sort().get(0)).isEqualTo(new SortKey(SortField.RELEVANCE, true));
        assertThat(parse(Map.of("q", List.of("meeting"), "sort", List.of("title"))).sort())
                .containsExactly(new SortKey(SortField.TITLE, false));
        assertThat(parse(Map.of("q", List.of("   "))).text()).isNull();
    }

    @Test
    void repeatedAndCommaSeparatedPrioritiesAndCaseInsensitiveTags() {
        TaskQuery q = parse(Map.of("priority", List.of("high,low", "urgent"), "tag", List.of("Work", "work", "home")));
        assertThat(q.priorities()).containsExactlyInAnyOrder(Priority.HIGH, Priority.LOW, Priority.URGENT);
        assertThat(q.tags()).containsExactly("work", "home");
    }

    @Test
    void collectsEveryFaultInOneError() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parse(Map.of("limit", List.of("0"),
                "sort", List.of("-nope"), "status", List.of("x"), "bogus", List.of("1"))));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("limit", "sort", "status", "bogus");
        assertThat(e.getMessage()).startsWith("4 problems: ").contains("limit: must be an integer between 1 and 200; got '0'");
    }

    @Test
    void fingerprintIgnoresPageSizeAndOrderOfRepeatedValues() {
        TaskQuery a = parse(Map.of("tag", List.of("a", "b"), "limit", List.of("10")));
        TaskQuery b = parse(Map.of("tag", List.of("b", "a"), "limit", List.of("20")));
        TaskQuery c = parse(Map.of("tag", List.of("a")));
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).isNotEqualTo(c.fingerprint());
    }
}
