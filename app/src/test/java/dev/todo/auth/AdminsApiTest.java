package dev.todo.auth;

import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Administrators by id or by a reserved name: nobody becomes one by signing up with the name first. */
class AdminsApiTest {

    @Test
    void aConfiguredAdminNameCannotBeSignedUpAndAdminsByIdAreAdmins() {
        UUID byId = TestApp.preregister("admins", "ops-person", "correct-horse-battery");
        try (OwnServer server = TestApp.ownServer("admins", Map.of(
                "todo.admin-users", "root-admin",
                "todo.admin-user-ids", byId.toString()))) {
            Api api = server.api();
            assertProblem(api.post("/api/auth/signup", "{\"username\":\"Root-Admin\",\"password\":\"correct-horse-battery\"}"), 409,
                    "username");
            Api admin = api.login("ops-person", "correct-horse-battery");
            assertThat(admin.get("/api/admin/dead-letters").status()).isEqualTo(200);
            assertProblem(api.newUser().get("/api/admin/dead-letters"), 403, null);
        }
    }
}
