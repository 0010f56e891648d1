package dev.todo.ui;

import dev.todo.assistant.StandInChatCompletions;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The assistant's chat panel as a user drives it, by labels and keys, against the real app whose model
 * endpoint is a stand-in OpenAI-compatible server answering with scripted tool calls.
 */
class AssistantPanelBrowserTest {

    static final String PASSWORD = "correct-horse-battery";

    private static StandInChatCompletions model;
    private static OwnServer server;

    @BeforeAll
    static void startServers() throws Exception {
        model = new StandInChatCompletions();
        server = TestApp.ownServer("todo", Map.of(
                "todo.assistant.base-url", model.baseUrl(),
                "todo.assistant.model", "stand-in-model",
                "todo.assistant.timeout", "5s"));
    }

    @AfterAll
    static void stopServers() {
        server.close();
        model.close();
    }

    private static String newName() {
        return "a" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String said(Browser b) {
        return b.driver.findElement(By.id("assistant-said")).getAttribute("textContent");
    }

    @Test
    void aRequestTypedInThePanelAddsTheTaskAndItsUndoRemovesIt_aLargeDeletionWaitsForApproval() {
        model.reset();
        String user = newName();
        try (Browser b = Browser.open(server.api().base())) {
            b.signUp(user, PASSWORD);
            Api api = server.api().login(user, PASSWORD);
            b.button("Assistant").click();
            b.await(d -> b.path().equals("/assistant") ? true : null);

            model.thenCalls(entry("add_task", Map.of("title", "Water the plants", "tags", List.of("home"))))
                    .thenText("Added \"Water the plants\", tagged #home.");
            b.field("Message to the assistant").sendKeys("remind me to water the plants #home" + Keys.ENTER);

            // the reply is shown, said in the live region, and the field is ready for the next message
            b.await(d -> d.findElement(By.cssSelector(".chat-log")).getText().contains("Added \"Water the plants\", tagged #home.") ? true : null);
            assertThat(said(b)).isEqualTo("Added \"Water the plants\", tagged #home.");
            assertThat(b.driver.switchTo().activeElement().getAttribute("id")).isEqualTo(b.field("Message to the assistant").getAttribute("id"));
            assertThat(model.requests().get(0).toString()).contains("remind me to water the plants #home");

            // the task is in the list
            b.go("/");
            b.row("Water the plants");
            assertThat(api.get("/api/tasks?tag=home").json().path("items").size()).isEqualTo(1);

            // back in the conversation, its action is undone by keyboard
            b.go("/assistant");
            b.button("remind me to water the plants #home").click();
            b.button("Undo: Added \"Water the plants\"").sendKeys(Keys.ENTER);
            b.await(d -> d.findElement(By.cssSelector(".assistant-actions")).getText().contains("Undone") ? true : null);
            assertThat(said(b)).isEqualTo("Undone: Added \"Water the plants\"");
            assertThat(b.axeViolations()).isEmpty();
            assertThat(api.get("/api/tasks?tag=home").json().path("items").size()).isZero();
            b.go("/");
            b.await(d -> b.rows("Water the plants").isEmpty() ? true : null);

            // deleting more than ten tasks asks first; Decline leaves them all
            List<Map.Entry<String, Map<String, Object>>> deletes = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                String id = api.createTask("{\"title\":\"Old " + i + "\",\"tags\":[\"old\"]}").get("id").asText();
                deletes.add(entry("delete_task", Map.of("id", id)));
            }
            @SuppressWarnings("unchecked")
            Map.Entry<String, Map<String, Object>>[] calls = deletes.toArray(Map.Entry[]::new);
            model.thenCalls(calls).thenText("Fine, I left them all.");
            b.go("/assistant");
            b.field("Message to the assistant").sendKeys("delete everything tagged #old" + Keys.ENTER);
            b.await(d -> d.findElement(By.id("confirm-title")).isDisplayed() ? true : null);
            assertThat(said(b)).contains("11 tasks");
            assertThat(b.axeViolations()).isEmpty();
            assertThat(api.get("/api/tasks?tag=old").json().path("items").size()).isEqualTo(11);
            b.button("Decline").click();
            b.await(d -> d.findElement(By.cssSelector(".chat-log")).getText().contains("Fine, I left them all.") ? true : null);
            assertThat(b.driver.findElements(By.id("confirm-title"))).isEmpty();
            assertThat(api.get("/api/tasks?tag=old").json().path("items").size()).isEqualTo(11);

            // conversations are listed and can be deleted
            assertThat(api.get("/api/assistant/conversations").json().path("items").size()).isEqualTo(2);
            b.button("Delete conversation delete everything tagged #old").click();
            b.await(d -> d.findElements(By.xpath("//button[@aria-label='Delete conversation delete everything tagged #old']")).isEmpty() ? true : null);
            assertThat(said(b)).isEqualTo("Conversation deleted.");
            assertThat(api.get("/api/assistant/conversations").json().path("items").size()).isEqualTo(1);
        }
    }

    @Test
    void approvingRunsTheWaitingDeletions_andWithoutScriptTheFormPostsAndComesBack() throws Exception {
        model.reset();
        String user = newName();
        try (Browser b = Browser.open(server.api().base())) {
            b.signUp(user, PASSWORD);
            Api api = server.api().login(user, PASSWORD);
            List<Map.Entry<String, Map<String, Object>>> deletes = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                String id = api.createTask("{\"title\":\"Stale " + i + "\",\"tags\":[\"stale\"]}").get("id").asText();
                deletes.add(entry("delete_task", Map.of("id", id)));
            }
            @SuppressWarnings("unchecked")
            Map.Entry<String, Map<String, Object>>[] calls = deletes.toArray(Map.Entry[]::new);
            model.thenCalls(calls).thenText("Deleted the 11 stale tasks.");
            b.go("/assistant");
            b.field("Message to the assistant").sendKeys("delete everything tagged #stale" + Keys.ENTER);
            b.button("Approve").click();
            b.await(d -> d.findElement(By.cssSelector(".chat-log")).getText().contains("Deleted the 11 stale tasks.") ? true : null);
            assertThat(b.driver.findElements(By.xpath("//button[starts-with(@aria-label,'Undo: Deleted')]"))).hasSize(11);
            assertThat(api.get("/api/tasks?tag=stale").json().path("items").size()).isZero();

            // the same form posted without htmx: 303 back to the conversation, which shows the reply
            model.thenText("Nothing else to do.");
            String cookie = b.driver.manage().getCookieNamed(Sessions.COOKIE).getValue();
            String csrf = b.driver.findElement(By.cssSelector("meta[name=csrf-token]")).getAttribute("content");
            String conversation = b.driver.findElement(By.cssSelector(".chat-form input[name=conversation]")).getAttribute("value");
            var http = java.net.http.HttpClient.newHttpClient();
            var res = http.send(java.net.http.HttpRequest.newBuilder(server.api().base().resolve("/assistant/chat"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", Sessions.COOKIE + "=" + cookie)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("_csrf=" + csrf + "&conversation=" + conversation
                            + "&message=anything+else%3F")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(303);
            assertThat(res.headers().firstValue("Location")).hasValue("/assistant?c=" + conversation);
            b.go("/assistant?c=" + conversation);
            assertThat(b.driver.findElement(By.cssSelector(".chat-log")).getText()).contains("anything else?").contains("Nothing else to do.");
        }
    }

    @Test
    void withoutASetUpModelThePanelTellsWhichSettingsTheOperatorSets() {
        try (Browser b = Browser.open(TestApp.server().getURI())) {
            b.signUp(newName(), PASSWORD);
            b.go("/assistant");
            assertThat(b.driver.findElement(By.id("chat-title")).getText()).isEqualTo("The assistant is not set up");
            assertThat(b.driver.findElement(By.cssSelector("[role=alert]")).getText())
                    .contains("TODO_ASSISTANT_BASE_URL").contains("TODO_ASSISTANT_MODEL").contains("TODO_ASSISTANT_API_KEY");
            assertThat(b.driver.findElements(By.id("assistant-message"))).isEmpty();
        }
    }
}
