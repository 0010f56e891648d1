package dev.todo.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What creating and changing a task costs: how often the task row is written (a trigger of the
 * test's own records every write) and how often the task quota counts, on a server of its own
 * with small quotas.
 */
class TaskWritesApiTest {

    private static final int TASK_QUOTA = 150;
    private static final int TAG_QUOTA = 5;
    private static OwnServer server;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        server = TestApp.ownServer("taskwrites", Map.of("todo.quotas.tasks", TASK_QUOTA, "todo.quotas.tags", TAG_QUOTA));
        api = server.api();
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists test_task_row_writes (seq bigserial primary key, task_id uuid, op text)");
            s.execute("create or replace function test_task_row_write() returns trigger language plpgsql as"
                    + " $$ begin insert into test_task_row_writes (task_id, op) values (new.id, tg_op); return new; end $$");
            s.execute("drop trigger if exists test_task_row_writes on tasks");
            s.execute("create trigger test_task_row_writes after insert or update on tasks for each row"
                    + " execute function test_task_row_write()");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Connection connection() throws Exception {
        return server.dataSource().getConnection();
    }

    /** Every write of the task's row so far, oldest first. */
    private static List<String> writes(JsonNode task) throws Exception {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("select op from test_task_row_writes where task_id = ? order by seq")) {
            ps.setObject(1, UUID.fromString(task.get("id").asText()));
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> titlesTagged(Api user, String tag) {
        List<String> out = new ArrayList<>();
        user.get("/api/tasks?tag=" + tag).json().get("items").forEach(t -> out.add(t.get("title").asText()));
        return out;
    }

    @Test
    void aCreateWritesTheTaskRowOnceAndAPatchOnceMore() throws Exception {
        Api user = api.newUser();
        user.createTask("{\"title\":\"seed\",\"tags\":[\"Work\"]}");
        JsonNode t = user.createTask("{\"title\":\"Report\",\"dueAt\":\"2026-05-01T10:00:00Z\",\"tags\":[\"work\",\"Errands\"]}");
        assertThat(texts(t.get("tags"))).as("an existing tag keeps its spelling").containsExactly("Errands", "Work");
        assertThat(writes(t)).as("inserted with its tags, never updated").containsExactly("INSERT");
        assertThat(titlesTagged(user, "errands")).containsExactly("Report");
        assertThat(titlesTagged(user, "work")).containsExactlyInAnyOrder("seed", "Report");
        assertThat(user.get("/api/tasks/" + t.get("id").asText()).json()).isEqualTo(t);

        String path = "/api/tasks/" + t.get("id").asText();
        JsonNode p = user.patch(path, "{\"title\":\"Report 2\",\"tags\":[\"errands\",\"Home\"]}").json();
        assertThat(texts(p.get("tags"))).containsExactly("Errands", "Home");
        assertThat(p.get("version").asInt()).isEqualTo(2);
        assertThat(writes(t)).as("one update for the fields and the tags").containsExactly("INSERT", "UPDATE");
        assertThat(titlesTagged(user, "work")).containsExactly("seed");
        assertThat(titlesTagged(user, "home")).containsExactly("Report 2");

        JsonNode same = user.patch(path, "{\"tags\":[\"Home\",\"ERRANDS\"]}").json();
        assertThat(same).as("the same tags change nothing").isEqualTo(p);
        assertThat(writes(t)).containsExactly("INSERT", "UPDATE");

        JsonNode cleared = user.patch(path, "{\"tags\":[]}").json();
        assertThat(cleared.get("tags")).isEmpty();
        assertThat(cleared.get("version").asInt()).isEqualTo(3);
        assertThat(writes(t)).containsExactly("INSERT", "UPDATE", "UPDATE");
        assertThat(titlesTagged(user, "home")).isEmpty();
        assertThat(user.get("/api/tasks?noTags=true").json().get("items")).hasSize(1);
        assertThat(user.get(path).json()).isEqualTo(cleared);
    }

    @Test
    void theTagQuotaHoldsForCreatesAndPatches() {
        Api user = api.newUser();
        JsonNode t = user.createTask("{\"title\":\"a\",\"tags\":[\"one\",\"two\",\"three\"]}");
        String path = "/api/tasks/" + t.get("id").asText();
        assertProblem(user.patch(path, "{\"title\":\"changed\",\"tags\":[\"one\",\"four\",\"five\",\"six\"]}"), 409, "tags");
        assertThat(user.get(path).json()).as("a refused patch changes nothing").isEqualTo(t);
        assertProblem(user.post("/api/tasks", "{\"title\":\"b\",\"tags\":[\"TWO\",\"four\",\"five\",\"six\"]}"), 409, "tags");
        assertThat(user.get("/api/tasks").json().get("items")).as("a refused create creates nothing").hasSize(1);
        assertThat(user.get("/api/tags").json().get("items")).hasSize(3);

        assertThat(texts(user.patch(path, "{\"tags\":[\"one\",\"two\",\"three\",\"four\",\"five\"]}").json().get("tags")))
                .containsExactly("five", "four", "one", "three", "two");
        assertThat(user.post("/api/tasks", "{\"title\":\"c\",\"tags\":[\"ONE\",\"Five\"]}").status())
                .as("existing tags take no room").isEqualTo(201);
        assertProblem(user.post("/api/tasks", "{\"title\":\"d\",\"tags\":[\"one\",\"six\"]}"), 409, "tags");
        assertProblem(user.patch(path, "{\"tags\":[\"six\"]}"), 409, "tags");
        assertThat(user.get("/api/tags").json().get("items")).hasSize(TAG_QUOTA);
    }

    @Test
    void aTaskWithoutAZoneTakesTheUsersInTheInsert() {
        Api user = api.newUser();
        user.patch("/api/me", "{\"timeZone\":\"Europe/Berlin\"}");
        JsonNode plain = user.createTask("{\"title\":\"Anruf\",\"dueAt\":\"2026-01-15T08:00:00Z\",\"tags\":[\"x\"]}");
        assertThat(plain.get("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(plain.get("dueAt").asText()).isEqualTo("2026-01-15T09:00:00+01:00");
        assertThat(user.createTask("{\"title\":\"no tags\"}").get("timeZone").asText()).isEqualTo("Europe/Berlin");
        JsonNode allDay = user.createTask("{\"title\":\"Geburtstag\",\"allDay\":true,\"dueAt\":\"2026-03-29T22:30:00Z\"}");
        assertThat(allDay.get("dueAt").asText()).as("cut at midnight in the user's zone").isEqualTo("2026-03-30T00:00:00+02:00");
        assertThat(user.get("/api/tasks/" + plain.get("id").asText()).json()).isEqualTo(plain);
    }

    @Test
    void theTaskQuotaCountsOnlyNearItAndHoldsExactlyThere() {
        TaskQuota quota = server.bean(TaskQuota.class);
        Api user = api.newUser();
        long before = quota.exactCounts();
        long started = System.nanoTime();
        int margin = 100; // max(10% of the quota, 100)
        for (int i = 0; i < TASK_QUOTA - margin; i++) {
            user.createTask("{\"title\":\"t" + i + "\"}");
        }
        // a count older than RECOUNT_AFTER_SECONDS is taken again, should creating them have taken that long
        long aged = (System.nanoTime() - started) / java.util.concurrent.TimeUnit.SECONDS.toNanos(TaskQuota.RECOUNT_AFTER_SECONDS);
        assertThat(quota.exactCounts() - before).as("far from the quota only the first of %s creates counts", TASK_QUOTA - margin)
                .isEqualTo(1 + aged);
        long far = quota.exactCounts();
        for (int i = TASK_QUOTA - margin; i < TASK_QUOTA - 1; i++) {
            user.createTask("{\"title\":\"t" + i + "\"}");
        }
        assertThat(quota.exactCounts() - far).as("near it every create counts").isEqualTo(margin - 1);
        assertThat(user.post("/api/tasks", "{\"title\":\"the last one\"}").status()).isEqualTo(201);
        var over = assertProblem(user.post("/api/tasks", "{\"title\":\"one too many\"}"), 409, "tasks");
        assertThat(over.get("type").asText()).endsWith("/quota-exceeded");
        assertThat(over.get("detail").asText()).isEqualTo("at most " + TASK_QUOTA + " tasks per user; delete some first");
        String first = user.get("/api/tasks").json().get("items").get(0).get("id").asText();
        assertThat(user.delete("/api/tasks/" + first).status()).isEqualTo(204);
        assertThat(user.post("/api/tasks", "{\"title\":\"room again\"}").status()).isEqualTo(201);
        assertProblem(user.post("/api/tasks", "{\"title\":\"full again\"}"), 409, "tasks");
    }
}
