package dev.todo.events;

import dev.todo.activity.ActivityConsumer;
import dev.todo.tasks.RecurrenceConsumer;
import dev.todo.reminders.NotifierConsumer;
import dev.todo.reminders.ReminderScheduler;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Pattern;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** One artifact, roles chosen by TODO_ROLES: what each role starts. */
class RolesTest {

    @Test
    void patternsMatchCommaListsWithOrWithoutSpaces() {
        assertThat(Pattern.matches(Roles.WORKER, "api, worker ,scheduler")).isTrue();
        assertThat(Pattern.matches(Roles.WORKER, "workers")).isFalse();
        assertThat(Pattern.matches(Roles.API, "api")).isTrue();
        assertThat(Pattern.matches(Roles.SCHEDULER, "api,worker")).isFalse();
        assertThat(Roles.includes(" api , worker", "api")).isTrue();
        assertThat(Roles.includes("apis", "api")).isFalse();
    }

    @Test
    void aWorkerOnlyProcessRunsRelayAndConsumersButNotTheApiOrScheduler() {
        try (OwnServer server = TestApp.ownServer("todo", Map.of("todo.roles", "worker"))) {
            ApplicationContext ctx = server.context();
            assertThat(ctx.containsBean(OutboxRelay.class)).isTrue();
            assertThat(ctx.containsBean(ActivityConsumer.class)).isTrue();
            assertThat(ctx.containsBean(RecurrenceConsumer.class)).isTrue();
            assertThat(ctx.containsBean(NotifierConsumer.class)).isTrue();
            assertThat(ctx.containsBean(ReminderScheduler.class)).isFalse();
            Api api = server.api();
            assertProblem(api.post("/api/auth/signup", "{\"username\":\"worker-only\",\"password\":\"password123\"}"), 404, null);
            assertThat(api.get("/health/readiness").status()).isEqualTo(200);
        }
    }
}
