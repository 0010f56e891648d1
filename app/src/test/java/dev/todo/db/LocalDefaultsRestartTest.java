package dev.todo.db;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The zero-configuration start: embedded database and generated secret, both kept across restarts. */
class LocalDefaultsRestartTest {

    private static EmbeddedServer start(Path dataDir, LocalDefaults.Resolved[] holder) {
        Properties sys = new Properties();
        sys.setProperty("todo.data-dir", dataDir.toString());
        LocalDefaults.Resolved resolved = LocalDefaults.resolve(Map.of(), sys);
        holder[0] = resolved;
        Map<String, Object> props = new HashMap<>(resolved.properties());
        props.put("micronaut.server.port", -1);
        props.put("todo.auth.bcrypt-cost", 4);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    @Test
    void tasksAndLoginsSurviveARestartOfAppAndDatabase() {
        Path dataDir = TestApp.tempDir("todo-data");
        LocalDefaults.Resolved[] holder = new LocalDefaults.Resolved[1];
        String token;
        String taskId;
        EmbeddedServer first = start(dataDir, holder);
        try {
            Api user = new Api(first.getURI()).newUser("restart-user", "restart-password");
            token = user.token();
            taskId = user.createTask("{\"title\":\"survive the restart\"}").get("id").asText();
        } finally {
            first.getApplicationContext().close();
            holder[0].database().join().close();
        }
        assertThat(Files.exists(dataDir.resolve("jwt-secret"))).isTrue();

        EmbeddedServer second = start(dataDir, holder);
        try {
            Api again = new Api(second.getURI()).as(token);
            Api.Res task = again.get("/api/tasks/" + taskId);
            assertThat(task.status()).as("old token still valid: secret was kept").isEqualTo(200);
            assertThat(task.json().get("title").asText()).isEqualTo("survive the restart");
        } finally {
            second.getApplicationContext().close();
            holder[0].database().join().close();
        }
    }

    @Test
    void externalDatabaseWithoutSecretRefusesToStart() {
        assertThatThrownBy(() -> LocalDefaults.resolve(Map.of("DATASOURCES_DEFAULT_URL", "jdbc:postgresql://db:5432/todo"), new Properties()))
                .hasMessageContaining("TODO_AUTH_JWT_SECRET");
        assertThatThrownBy(() -> LocalDefaults.resolve(Map.of("DATASOURCES_DEFAULT_URL", "jdbc:postgresql://db:5432/todo",
                "TODO_AUTH_JWT_SECRET", "short"), new Properties()))
                .hasMessageContaining("at least 32");
        LocalDefaults.Resolved ok = LocalDefaults.resolve(Map.of("DATASOURCES_DEFAULT_URL", "jdbc:postgresql://db:5432/todo",
                "TODO_AUTH_JWT_SECRET", "x".repeat(40)), new Properties());
        assertThat(ok.database()).isNull();
        assertThat(ok.properties()).containsEntry("todo.auth.jwt-secret", "x".repeat(40)).doesNotContainKey("datasources.default.url");
    }
}
