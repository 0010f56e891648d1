package dev.todo.ui;

import dev.todo.live.LiveStreams;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WindowType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many tabs of the app in one browser, as someone who keeps the list, a tag and the stats open at once
 * does. Over HTTP/1.1 (how {@code ./run} serves it) a browser opens at most six connections to the
 * server, and each live stream holds one: the tabs of a session share one stream.
 */
class LiveTabsBrowserTest {

    static final String PASSWORD = "correct-horse-battery";

    @Test
    void sevenTabsShareOneLiveStreamEveryTabUpdatesAndClosingTheTabHoldingItLosesNothing() {
        String user = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Browser b = Browser.open(TestApp.server().getURI())) {
            b.signUp(user, PASSWORD);
            Api api = TestApp.api().login(user, PASSWORD);
            UUID id = UUID.fromString(api.get("/api/me").json().get("id").asText());
            LiveStreams streams = TestApp.server().getApplicationContext().getBean(LiveStreams.class);
            // a tab that waited for a connection held by the streams of the others would miss this
            b.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(10));
            b.awaitLive();
            // each tab's page, in the order opened: the lists of all tasks, one list of #home, and others
            Map<String, String> pageOf = new LinkedHashMap<>(Map.of(b.driver.getWindowHandle(), "/"));
            for (String page : List.of("/", "/?tag=home", "/stats", "/", "/tags", "/")) {
                b.driver.switchTo().newWindow(WindowType.TAB);
                b.go(page);
                b.awaitLive();
                pageOf.put(b.driver.getWindowHandle(), page);
            }
            b.await(d -> streams.size(id) == 1 ? true : null);

            api.post("/api/tasks", "{\"title\":\"Seen in every tab\",\"tags\":[\"home\"]}");
            for (var tab : pageOf.entrySet()) {
                if (tab.getValue().startsWith("/?") || tab.getValue().equals("/")) {
                    b.driver.switchTo().window(tab.getKey());
                    b.row("Seen in every tab");
                }
            }

            List<String> leaders = new ArrayList<>();
            for (String tab : pageOf.keySet()) {
                b.driver.switchTo().window(tab);
                if (Boolean.TRUE.equals(b.js("return window.todoLive.leading()"))) {
                    leaders.add(tab);
                }
            }
            assertThat(leaders).hasSize(1);

            // the tab holding the stream closes; another takes it over from the last event it was passed,
            // so a task added while no tab had a stream still arrives
            b.driver.switchTo().window(leaders.get(0));
            b.driver.close();
            pageOf.remove(leaders.get(0));
            b.driver.switchTo().window(pageOf.keySet().iterator().next());
            api.post("/api/tasks", "{\"title\":\"Added during the handover\"}");
            for (var tab : pageOf.entrySet()) {
                if (tab.getValue().equals("/")) { // the task has no tag: the lists of all tasks show it
                    b.driver.switchTo().window(tab.getKey());
                    b.row("Added during the handover");
                }
            }
            b.await(d -> streams.size(id) == 1 ? true : null);
        }
    }

    @Test
    void aTabTakingOverBeforeAnyEventStillShowsAChangeMadeDuringTheHandover() {
        String user = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Browser b = Browser.open(TestApp.server().getURI())) {
            b.signUp(user, PASSWORD);
            Api api = TestApp.api().login(user, PASSWORD);
            b.awaitLive();
            String first = b.driver.getWindowHandle();
            b.driver.switchTo().newWindow(WindowType.TAB);
            b.go("/");
            b.awaitLive();
            String second = b.driver.getWindowHandle();
            assertThat(b.js("return window.todoLive.leading()")).isEqualTo(false);
            // a slow network: this tab's stream opens 1.5 s after it takes over, so the change below is
            // made while no tab has a stream, and before this one has any event to resume from
            b.js("const f = window.fetch; window.fetch = (u, o) => String(u).includes('/live/ticket')"
                    + " ? new Promise(r => setTimeout(r, 1500)).then(() => f(u, o)) : f(u, o);");

            b.driver.switchTo().window(first);
            b.driver.close();
            b.driver.switchTo().window(second);
            api.post("/api/tasks", "{\"title\":\"Added while no tab had a stream\"}");
            b.row("Added while no tab had a stream");
            assertThat(b.js("return window.todoLive.leading()")).isEqualTo(true);
        }
    }
}
