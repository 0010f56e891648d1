package dev.todo.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.util.stream.Stream;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every malformed request gets a 4xx problem naming the fault, and nothing changes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputApiTest {

    private Api user;
    private String path;
    private JsonNode original;

    @BeforeAll
    void seed() {
        user = TestApp.api().newUser();
        original = user.createTask("{\"title\":\"Original\",\"tags\":[\"keep\"],\"priority\":\"low\"}");
        path = "/api/tasks/" + original.get("id").asText();
    }

    static Stream<Arguments> badBodies() {
        String tags21 = "[" + String.join(",", java.util.stream.IntStream.range(0, 21).mapToObj(i -> "\"t" + i + "\"").toList()) + "]";
        return Stream.of(
                arguments("{\"title\":", null),
                arguments("[1,2]", null),
                arguments("\"just a string\"", null),
                arguments("", null),
                arguments("{\"title\":\"a\",\"title\":\"b\"}", null),
                arguments("{\"title\":42}", "title"),
                arguments("{\"title\":\"\"}", "title"),
                arguments("{\"title\":\"   \"}", "title"),
                arguments("{\"title\":\"" + "x".repeat(501) + "\"}", "title"),
                arguments("{\"title\":\"ok\",\"description\":\"" + "x".repeat(20_001) + "\"}", "description"),
                arguments("{\"title\":\"ok\",\"description\":[]}", "description"),
                arguments("{\"title\":\"ok\",\"priority\":\"critical\"}", "priority"),
                arguments("{\"title\":\"ok\",\"priority\":3}", "priority"),
                arguments("{\"title\":\"ok\",\"tags\":" + tags21 + "}", "tags"),
                arguments("{\"title\":\"ok\",\"tags\":[\"\"]}", "tags[0]"),
                arguments("{\"title\":\"ok\",\"tags\":[\"" + "x".repeat(51) + "\"]}", "tags[0]"),
                arguments("{\"title\":\"ok\",\"tags\":[1]}", "tags[0]"),
                arguments("{\"title\":\"ok\",\"tags\":\"work\"}", "tags"),
                arguments("{\"title\":\"ok\",\"timeZone\":\"Europe/Atlantis\"}", "timeZone"),
                arguments("{\"title\":\"ok\",\"timeZone\":\"+02:00\"}", "timeZone"),
                arguments("{\"title\":\"ok\",\"dueAt\":\"2026-02-30T10:00:00Z\"}", "dueAt"),
                arguments("{\"title\":\"ok\",\"dueAt\":\"2026-03-01T10:00:00\"}", "dueAt"),
                arguments("{\"title\":\"ok\",\"dueAt\":\"tomorrow\"}", "dueAt"),
                arguments("{\"title\":\"ok\",\"dueAt\":\"+99999-01-01T00:00:00Z\"}", "dueAt"),
                arguments("{\"title\":\"ok\",\"dueAt\":1700000000}", "dueAt"),
                arguments("{\"title\":\"ok\",\"allDay\":\"yes\"}", "allDay"),
                arguments("{\"title\":\"ok\",\"completed\":1}", "completed"),
                arguments("{\"title\":\"ok\",\"owner\":\"someone-else\"}", "owner"),
                arguments("{\"title\":\"ok\",\"id\":\"00000000-0000-0000-0000-000000000000\"}", "id"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badCreateBodyIsRejectedAndCreatesNothing(String body, String field) {
        int before = count();
        assertProblem(user.post("/api/tasks", body), 400, field);
        assertThat(count()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badPatchBodyIsRejectedAndChangesNothing(String body, String field) {
        assertProblem(user.patch(path, body), 400, field);
        assertThat(user.get(path).json()).isEqualTo(original);
    }

    @Test
    void nullForRequiredFieldsInPatchIsRejected() {
        for (String f : new String[]{"title", "priority", "timeZone", "allDay", "completed"}) {
            assertProblem(user.patch(path, "{\"" + f + "\":null}"), 400, f);
        }
        assertThat(user.get(path).json()).isEqualTo(original);
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                arguments("limit=0", "limit"), arguments("limit=201", "limit"), arguments("limit=ten", "limit"),
                arguments("limit=99999999999", "limit"),
                arguments("status=done", "status"), arguments("priority=critical", "priority"),
                arguments("sort=dueDate", "sort"), arguments("sort=title,title", "sort"),
                arguments("dueBefore=yesterday", "dueBefore"), arguments("dueAfter=2026-13-01T00:00:00Z", "dueAfter"),
                arguments("overdue=maybe", "overdue"), arguments("hasDue=1", "hasDue"), arguments("noTags=yes", "noTags"),
                arguments("noTags=true&tag=a", "noTags"), arguments("tag=", "tag"),
                arguments("cursor=%%%", "cursor"), arguments("cursor=abc.def", "cursor"),
                arguments("colour=red", "colour"), arguments("limit=1&limit=2", "limit"));
    }

    @ParameterizedTest
    @MethodSource("badQueries")
    void badListQueryIsRejectedNamingTheParameter(String query, String field) {
        Api.Res r = user.send(user.builder("/api/tasks?" + query.replace("%%%", "%25%25%25")).GET());
        assertProblem(r, 400, field);
    }

    @Test
    void bodyOverOneMebibyteIs413AndCreatesNothing() {
        int before = count();
        String huge = "{\"title\":\"big\",\"description\":\"" + "x".repeat(1_100_000) + "\"}";
        assertProblem(user.post("/api/tasks", huge), 413, null);
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void wrongMediaTypeMethodAndRouteAreProblems() {
        assertProblem(user.send("POST", "/api/tasks", "text/plain", "{\"title\":\"x\"}"), 415, null);
        assertProblem(user.send("PUT", path, "application/json", "{\"title\":\"x\"}"), 405, null);
        assertProblem(user.get("/api/nothing-here"), 404, null);
        assertThat(user.get(path).json()).isEqualTo(original);
    }

    @Test
    void invalidUtf8AndBinaryBodiesAreRejected() {
        byte[] bytes = {'{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        Api.Res r = user.send(user.builder("/api/tasks").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertThat(r.status()).isBetween(200, 499);
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        Api.Res j = user.send(user.builder("/api/tasks").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(junk)));
        assertProblem(j, 400, null);
    }

    private int count() {
        return user.get("/api/tasks?status=all&limit=200").json().get("items").size();
    }
}
