package dev.todo.auth;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Administrators by id or by a reserved name: nobody becomes one by signing up with the name first. */
class AdminsApiTest {

    @Test
    void aConfiguredAdminNameCannotBeSignedUpAndAdminsByIdAreAdmins() {
        UUID byId = TestApp.preregister("admins", "ops-person", "correct-horse-battery");
        Map<String, Object> props = new HashMap<>(TestApp.properties("admins"));
        props.put("todo.admin-users", "root-admin");
        props.put("todo.admin-user-ids", byId.toString());
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props, "test")) {
            Api api = new Api(server.getURI());
            assertProblem(api.post("/api/auth/signup", "{\"username\":\"Root-Admin\",\"password\":\"correct-horse-battery\"}"), 409,
                    "username");
            Api admin = api.login("ops-person", "correct-horse-battery");
            assertThat(admin.get("/api/admin/dead-letters").status()).isEqualTo(200);
            assertProblem(api.newUser().get("/api/admin/dead-letters"), 403, null);
        }
    }
}
