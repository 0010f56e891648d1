package dev.todo.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class TaskApiTest {

    private final Api user = TestApp.api().newUser();

    @Test
    void createReturns201WithLocationEtagAndDefaults() {
        Api.Res r = user.post("/api/tasks", "{\"title\":\"  Buy milk  \"}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode t = r.json();
        assertThat(r.header("location")).isEqualTo("/api/tasks/" + t.get("id").asText());
        assertThat(r.header("etag")).isEqualTo("\"1\"");
        assertThat(t.get("title").asText()).isEqualTo("Buy milk");
        assertThat(t.get("priority").asText()).isEqualTo("none");
        assertThat(t.get("timeZone").asText()).isEqualTo("UTC");
        assertThat(t.get("tags")).isEmpty();
        assertThat(t.get("dueAt").isNull()).isTrue();
        assertThat(t.get("allDay").asBoolean()).isFalse();
        assertThat(t.get("completed").asBoolean()).isFalse();
        assertThat(t.get("version").asInt()).isEqualTo(1);
        assertThat(user.get(r.header("location")).json()).isEqualTo(t);
    }

    @Test
    void dueAtIsShownInTheTasksZoneAndZoneDefaultsToTheUsers() {
        user.patch("/api/me", "{\"timeZone\":\"America/New_York\"}");
        JsonNode t = user.createTask("{\"title\":\"Call\",\"dueAt\":\"2026-07-01T16:00:00Z\"}");
        assertThat(t.get("timeZone").asText()).isEqualTo("America/New_York");
        assertThat(t.get("dueAt").asText()).isEqualTo("2026-07-01T12:00:00-04:00");

        JsonNode berlin = user.createTask("{\"title\":\"Anruf\",\"dueAt\":\"2026-01-15T08:00:00Z\",\"timeZone\":\"Europe/Berlin\"}");
        assertThat(berlin.get("dueAt").asText()).isEqualTo("2026-01-15T09:00:00+01:00");
    }

    @Test
    void allDayTaskIsDueAtTheStartOfItsLocalDate() {
        JsonNode t = user.createTask("{\"title\":\"Birthday\",\"allDay\":true,\"dueAt\":\"2026-03-29T22:30:00+02:00\",\"timeZone\":\"Europe/Berlin\"}");
        assertThat(t.get("dueAt").asText()).isEqualTo("2026-03-29T00:00:00+01:00");
        assertProblem(user.post("/api/tasks", "{\"title\":\"No date\",\"allDay\":true}"), 400, "allDay");
    }

    @Test
    void mergePatchChangesOnlyGivenFieldsAndNullClears() {
        JsonNode t = user.createTask("{\"title\":\"Report\",\"description\":\"Q3 numbers\",\"priority\":\"low\","
                + "\"dueAt\":\"2026-05-01T10:00:00Z\",\"tags\":[\"work\"]}");
        String path = "/api/tasks/" + t.get("id").asText();
        Api.Res r = user.patch(path, "{\"priority\":\"urgent\",\"description\":null}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("etag")).isEqualTo("\"2\"");
        JsonNode p = r.json();
        assertThat(p.get("priority").asText()).isEqualTo("urgent");
        assertThat(p.get("description").isNull()).isTrue();
        assertThat(p.get("title").asText()).isEqualTo("Report");
        assertThat(p.get("dueAt").asText()).isEqualTo("2026-05-01T10:00:00Z");
        assertThat(p.get("tags").get(0).asText()).isEqualTo("work");

        JsonNode cleared = user.patch(path, "{\"dueAt\":null,\"tags\":[]}").json();
        assertThat(cleared.get("dueAt").isNull()).isTrue();
        assertThat(cleared.get("tags")).isEmpty();
        assertThat(cleared.get("version").asInt()).isEqualTo(3);
        assertThat(user.get(path).json()).isEqualTo(cleared);
    }

    @Test
    void patchWithStaleIfMatchIs412AndChangesNothing() {
        JsonNode t = user.createTask("{\"title\":\"Draft\"}");
        String path = "/api/tasks/" + t.get("id").asText();
        assertThat(user.patch(path, "{\"title\":\"Draft 2\"}", "\"1\"").status()).isEqualTo(200);
        assertProblem(user.patch(path, "{\"title\":\"Draft 3\"}", "\"1\""), 412, null);
        JsonNode now = user.get(path).json();
        assertThat(now.get("title").asText()).isEqualTo("Draft 2");
        assertThat(now.get("version").asInt()).isEqualTo(2);
        assertThat(user.patch(path, "{\"title\":\"Draft 3\"}", "W/\"2\"").status()).isEqualTo(200);
        assertProblem(user.patch(path, "{\"title\":\"x\"}", "banana"), 400, "If-Match");
    }

    @Test
    void completeAndReopenAreIdempotent() {
        JsonNode t = user.createTask("{\"title\":\"Water plants\"}");
        String path = "/api/tasks/" + t.get("id").asText();
        JsonNode done = user.post(path + "/complete").json();
        assertThat(done.get("completed").asBoolean()).isTrue();
        assertThat(done.get("completedAt").isNull()).isFalse();
        JsonNode again = user.post(path + "/complete").json();
        assertThat(again).isEqualTo(done);
        JsonNode reopened = user.post(path + "/reopen").json();
        assertThat(reopened.get("completed").asBoolean()).isFalse();
        assertThat(reopened.get("completedAt").isNull()).isTrue();
        assertThat(reopened.get("version").asInt()).isEqualTo(3);
    }

    @Test
    void deleteIs204ThenTheTaskIsGone() {
        JsonNode t = user.createTask("{\"title\":\"Temp\"}");
        String path = "/api/tasks/" + t.get("id").asText();
        assertThat(user.delete(path).status()).isEqualTo(204);
        assertProblem(user.get(path), 404, null);
        assertProblem(user.delete(path), 404, null);
    }

    @Test
    void anotherUsersTaskIsIndistinguishableFromAMissingOne() {
        JsonNode t = user.createTask("{\"title\":\"Private\",\"tags\":[\"secret\"]}");
        String path = "/api/tasks/" + t.get("id").asText();
        Api other = TestApp.api().newUser();
        JsonNode missing = assertProblem(other.get("/api/tasks/00000000-0000-0000-0000-000000000000"), 404, null);
        JsonNode foreign = assertProblem(other.get(path), 404, null);
        assertThat(foreign.get("detail")).isEqualTo(missing.get("detail"));
        assertProblem(other.patch(path, "{\"title\":\"mine now\"}"), 404, null);
        assertProblem(other.post(path + "/complete"), 404, null);
        assertProblem(other.post(path + "/reopen"), 404, null);
        assertProblem(other.delete(path), 404, null);
        assertThat(other.get("/api/tasks?status=all").json().get("items")).isEmpty();
        assertThat(other.get("/api/tags").json().get("items")).isEmpty();
        assertProblem(other.patch("/api/tags/secret", "{\"color\":\"#ff0000\"}"), 404, null);
        assertProblem(other.delete("/api/tags/secret"), 404, null);

        JsonNode unchanged = user.get(path).json();
        assertThat(unchanged).isEqualTo(t);
        assertThat(user.get("/api/tags").json().get("items").get(0).get("color").isNull()).isTrue();
    }

    @Test
    void malformedIdIsA404() {
        assertProblem(user.get("/api/tasks/not-a-uuid"), 404, null);
    }
}
