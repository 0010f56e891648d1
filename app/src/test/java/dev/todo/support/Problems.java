package dev.todo.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public final class Problems {

    private Problems() {
    }

    /** Asserts an RFC 9457 problem with this status; when {@code field} is given, an error names it. */
    public static JsonNode assertProblem(Api.Res res, int status, String field) {
        assertThat(res.status()).as("status of %s", res).isEqualTo(status);
        assertThat(res.contentType()).as("content type of %s", res).startsWith("application/problem+json");
        JsonNode body = res.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("detail").asText()).isNotBlank();
        if (field != null) {
            List<String> fields = new ArrayList<>();
            body.path("errors").forEach(e -> fields.add(e.get("field").asText()));
            assertThat(fields).as("fields named by %s", res).contains(field);
        }
        return body;
    }
}
