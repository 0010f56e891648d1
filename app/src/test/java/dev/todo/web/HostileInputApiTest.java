package dev.todo.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Control characters and oversized fault lists: a clear 400 of bounded size, nothing stored. */
class HostileInputApiTest {

    private final Api user = TestApp.api().newUser();

    @Test
    void controlCharactersInTitlesAndDescriptionsAreRefusedNotA500() {
        assertProblem(user.post("/api/tasks", "{\"title\":\"nul\\u0000here\"}"), 400, "title");
        assertProblem(user.post("/api/tasks", "{\"title\":\"bell\\u0007\"}"), 400, "title");
        assertProblem(user.post("/api/tasks", "{\"title\":\"two\\nlines\"}"), 400, "title");
        assertProblem(user.post("/api/tasks", "{\"title\":\"ok\",\"description\":\"nul\\u0000\"}"), 400, "description");
        assertProblem(user.post("/api/tasks", "{\"title\":\"ok\",\"tags\":[\"a\\u0000\"]}"), 400, "tags[0]");
        assertProblem(user.get("/api/tasks?q=a%00b"), 400, "q");
        assertThat(user.get("/api/tasks?status=all").json().get("items")).isEmpty();
        JsonNode ok = user.createTask("{\"title\":\"fine\",\"description\":\"line one\\nline two\\ttabbed\"}");
        assertThat(ok.get("description").asText()).isEqualTo("line one\nline two\ttabbed");
        String id = ok.get("id").asText();
        assertProblem(user.patch("/api/tasks/" + id, "{\"title\":\"x\\u0000\"}"), 400, "title");
        assertThat(user.get("/api/tasks/" + id).json().get("title").asText()).isEqualTo("fine");
    }

    @Test
    void aBodyFullOfUnknownFieldsGetsABoundedProblem() {
        StringBuilder body = new StringBuilder("{\"title\":\"t\"");
        int i = 0;
        while (body.length() < 500_000) {
            body.append(",\"unknown").append(i++).append("\":1");
        }
        body.append('}');
        Api.Res res = user.post("/api/tasks", body.toString());
        JsonNode problem = assertProblem(res, 400, null);
        assertThat(res.body().length()).as("half a megabyte of faults gets a small answer").isLessThan(30_000);
        assertThat(problem.get("errors")).hasSize(Problems.MAX_ERRORS);
        assertThat(problem.get("errorsOmitted").asInt()).isEqualTo(i - Problems.MAX_ERRORS);
        assertProblem(user.get("/api/tasks?limit=" + "9".repeat(3_000)), 400, "limit");
        assertThat(user.get("/api/tasks?limit=" + "9".repeat(3_000)).body().length()).isLessThan(10_000);
        assertThat(user.get("/api/tasks?status=all").json().get("items")).isEmpty();
    }
}
