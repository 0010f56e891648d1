package dev.todo.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.todo.support.Api.q;
import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class TaskListApiTest {

    private final Api user = TestApp.api().newUser();

    private List<String> titles(String query) {
        Api.Res r = user.get("/api/tasks" + query);
        assertThat(r.status()).as("%s -> %s", query, r).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().get("items").forEach(t -> out.add(t.get("title").asText()));
        return out;
    }

    private String create(String json) {
        return user.createTask(json).get("id").asText();
    }

    @Test
    void fullTextSearchFindsInflectionsAndRanksTitleMatchesFirst() {
        create("{\"title\":\"Prepare slides\",\"description\":\"for the meetings with the board\"}");
        create("{\"title\":\"Weekly meetings\"}");
        create("{\"title\":\"Buy bread\"}");
        assertThat(titles("?q=meeting")).containsExactly("Weekly meetings", "Prepare slides");
        assertThat(titles("?q=" + q("board meeting"))).containsExactly("Prepare slides");
        assertThat(titles("?q=nothing-like-this")).isEmpty();
    }

    @Test
    void filtersByStatusPriorityTagsAndDueDates() {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        create("{\"title\":\"A\",\"priority\":\"high\",\"tags\":[\"work\",\"urgent-ish\"],\"dueAt\":\"2020-01-01T00:00:00Z\"}");
        create("{\"title\":\"B\",\"priority\":\"low\",\"tags\":[\"Work\"],\"dueAt\":\"2099-01-01T00:00:00Z\"}");
        create("{\"title\":\"C\",\"priority\":\"urgent\"}");
        String d = create("{\"title\":\"D\",\"priority\":\"high\",\"tags\":[\"home\"],\"dueAt\":\"2021-06-01T00:00:00Z\"}");
        user.post("/api/tasks/" + d + "/complete");

        assertThat(titles("")).containsExactly("A", "B", "C");
        assertThat(titles("?status=completed")).containsExactly("D");
        assertThat(titles("?status=all")).containsExactlyInAnyOrder("A", "B", "C", "D");
        assertThat(titles("?priority=high&priority=urgent")).containsExactlyInAnyOrder("A", "C");
        assertThat(titles("?priority=high,low")).containsExactlyInAnyOrder("A", "B");
        assertThat(titles("?tag=WORK")).containsExactlyInAnyOrder("A", "B");
        assertThat(titles("?tag=work&tag=urgent-ish")).containsExactly("A");
        assertThat(titles("?noTags=true")).containsExactly("C");
        assertThat(titles("?hasDue=false")).containsExactly("C");
        assertThat(titles("?hasDue=true")).containsExactly("A", "B");
        assertThat(titles("?overdue=true")).containsExactly("A");
        assertThat(titles("?overdue=true&status=all")).containsExactly("A");
        assertThat(titles("?dueBefore=" + q(now))).containsExactly("A");
        assertThat(titles("?dueAfter=" + q(now))).containsExactly("B");
        assertThat(titles("?dueAfter=2019-12-31T00:00:00Z&dueBefore=" + q("2020-01-02T00:00:00+01:00"))).containsExactly("A");
        assertThat(titles("?status=all&priority=high&tag=home")).containsExactly("D");
    }

    @Test
    void sortsWithTasksWithoutDueDateLastInEitherDirection() {
        create("{\"title\":\"none\",\"priority\":\"urgent\"}");
        create("{\"title\":\"later\",\"dueAt\":\"2030-01-01T00:00:00Z\",\"priority\":\"low\"}");
        create("{\"title\":\"sooner\",\"dueAt\":\"2029-01-01T00:00:00Z\"}");
        create("{\"title\":\"sooner-urgent\",\"dueAt\":\"2029-01-01T00:00:00Z\",\"priority\":\"urgent\"}");
        assertThat(titles("")).containsExactly("sooner-urgent", "sooner", "later", "none");
        assertThat(titles("?sort=-dueAt,-priority")).containsExactly("later", "sooner-urgent", "sooner", "none");
        assertThat(titles("?sort=-priority,title")).containsExactly("none", "sooner-urgent", "later", "sooner");
        assertThat(titles("?sort=title")).containsExactly("later", "none", "sooner", "sooner-urgent");
        assertThat(titles("?sort=-createdAt")).containsExactly("sooner-urgent", "sooner", "later", "none");
    }

    @Test
    void keysetPagesNeverSkipOrRepeatWhileTasksAreInserted() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            String due = i % 4 == 0 ? "null" : "\"2030-01-" + String.format("%02d", 1 + i % 5) + "T00:00:00Z\"";
            String p = List.of("none", "low", "medium", "high", "urgent").get(i % 5);
            expected.add(create("{\"title\":\"t" + i + "\",\"dueAt\":" + due + ",\"priority\":\"" + p + "\"}"));
        }
        for (String sort : List.of("", "&sort=-dueAt", "&sort=title,-createdAt", "&sort=-priority,updatedAt")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Api.Res r = user.get("/api/tasks?limit=5" + sort + (cursor == null ? "" : "&cursor=" + q(cursor)));
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                r.json().get("items").forEach(t -> seen.add(t.get("id").asText()));
                cursor = r.json().get("nextCursor").isNull() ? null : r.json().get("nextCursor").asText();
                // inserted meanwhile: rows that sort before and after the cursor
                create("{\"title\":\"zz-new\",\"dueAt\":null}");
                create("{\"title\":\"aa-new\",\"dueAt\":\"2000-01-01T00:00:00Z\"}");
                pages++;
            } while (cursor != null && pages < 50);
            assertThat(seen).as("sort %s", sort).doesNotHaveDuplicates();
            assertThat(seen).as("sort %s", sort).containsAll(expected);
            expected.clear();
            user.get("/api/tasks?status=all&limit=200").json().get("items").forEach(t -> expected.add(t.get("id").asText()));
        }
    }

    @Test
    void allStatusesPageInOneOrderAcrossOpenAndCompletedTasks() {
        for (int i = 0; i < 18; i++) {
            String due = i % 4 == 0 ? "null" : "\"2030-01-" + String.format("%02d", 1 + i % 6) + "T00:00:00Z\"";
            String p = List.of("none", "low", "medium", "high", "urgent").get(i % 5);
            String id = create("{\"title\":\"Task " + (char) ('a' + (i * 7) % 18) + "\",\"dueAt\":" + due + ",\"priority\":\"" + p + "\"}");
            if (i % 3 == 0) {
                assertThat(user.post("/api/tasks/" + id + "/complete").status()).isEqualTo(200);
            }
        }
        assertThat(titles("?status=all&sort=title")).as("open and completed tasks merged by title")
                .containsExactly("Task a", "Task b", "Task c", "Task d", "Task e", "Task f", "Task g", "Task h", "Task i",
                        "Task j", "Task k", "Task l", "Task m", "Task n", "Task o", "Task p", "Task q", "Task r");
        // each query with the number of the 18 tasks it finds (by priority: none 4, low 4, medium 4, high 3, urgent 3)
        Map<String, Integer> queries = Map.of("", 18, "&sort=-dueAt", 18, "&sort=title", 18, "&sort=-priority,createdAt", 18,
                "&priority=low,high,urgent", 10, "&priority=high,urgent&sort=dueAt,-priority", 6, "&priority=none,medium&sort=-title", 8);
        queries.forEach((sort, found) -> {
            List<String> whole = new ArrayList<>();
            user.get("/api/tasks?status=all&limit=200" + sort).json().get("items").forEach(t -> whole.add(t.get("id").asText()));
            assertThat(whole).as(sort).hasSize(found);
            List<String> paged = new ArrayList<>();
            String cursor = null;
            do {
                Api.Res r = user.get("/api/tasks?status=all&limit=4" + sort + (cursor == null ? "" : "&cursor=" + q(cursor)));
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                r.json().get("items").forEach(t -> paged.add(t.get("id").asText()));
                cursor = r.json().get("nextCursor").isNull() ? null : r.json().get("nextCursor").asText();
            } while (cursor != null && paged.size() < 100);
            assertThat(paged).as("pages of 4, sort %s", sort).containsExactlyElementsOf(whole);
        });
    }

    @Test
    void cursorOfAnotherUserOrQueryIsRefused() {
        for (int i = 0; i < 3; i++) {
            create("{\"title\":\"p" + i + "\"}");
        }
        String cursor = user.get("/api/tasks?limit=1").json().get("nextCursor").asText();
        assertThat(user.get("/api/tasks?limit=1&cursor=" + q(cursor)).status()).isEqualTo(200);
        assertThat(user.get("/api/tasks?limit=2&cursor=" + q(cursor)).status()).as("page size may change").isEqualTo(200);
        Api other = TestApp.api().newUser();
        assertProblem(other.get("/api/tasks?limit=1&cursor=" + q(cursor)), 400, "cursor");
        assertProblem(user.get("/api/tasks?limit=1&sort=title&cursor=" + q(cursor)), 400, "cursor");
        assertProblem(user.get("/api/tasks?limit=1&cursor=garbage"), 400, "cursor");
        assertProblem(user.get("/api/tasks?limit=1&cursor=" + q(cursor.substring(1))), 400, "cursor");
    }

    @Test
    void searchResultsPageByRelevance() {
        for (int i = 0; i < 5; i++) {
            create("{\"title\":\"plan meeting " + i + "\"}");
            create("{\"title\":\"other " + i + "\",\"description\":\"mentions a meeting\"}");
        }
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = user.get("/api/tasks?q=meetings&limit=3" + (cursor == null ? "" : "&cursor=" + q(cursor))).json();
            page.get("items").forEach(t -> all.add(t.get("title").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(all).hasSize(10).doesNotHaveDuplicates();
        assertThat(all.subList(0, 5)).allMatch(t -> t.startsWith("plan meeting"));
    }
}
