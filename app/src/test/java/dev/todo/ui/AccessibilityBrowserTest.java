package dev.todo.ui;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * axe-core (injected from the npm package) finds no serious or critical violation on the main
 * screens, at desktop width and at 360 px, where nothing scrolls sideways either.
 */
class AccessibilityBrowserTest {

    static final String PASSWORD = "correct-horse-battery";
    static final List<String> SCREENS = List.of("/", "/?status=all&tag=home&priority=high", "/notifications", "/tags", "/stats", "/settings");

    @Test
    void mainScreensHaveNoSeriousViolationsAtDesktopAndPhoneWidth() {
        String user = "a" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Api api = TestApp.api().newUser(user, PASSWORD);
        String id = api.post("/api/tasks", "{\"title\":\"Pay rent\",\"priority\":\"high\",\"tags\":[\"home\"],\"dueAt\":\"2020-01-01T09:00:00Z\","
                + "\"recurrence\":{\"every\":\"month\"},\"reminders\":[{\"before\":\"PT15M\"}]}").json().path("id").asText();
        api.post("/api/tasks", "{\"title\":\"Read a book\",\"tags\":[\"fun\"]}");
        api.patch("/api/tags/home", "{\"color\":\"#16a34a\"}");
        List<String> screens = new ArrayList<>(SCREENS);
        screens.add("/tasks/" + id);

        List<String> found = new ArrayList<>();
        try (Browser anonymous = Browser.open(TestApp.server().getURI())) {
            for (String page : List.of("/login", "/signup")) {
                anonymous.go(page);
                anonymous.axeViolations().forEach(v -> found.add(page + " " + v));
            }
        }
        for (int[] size : new int[][] {{1280, 900}, {360, 780}}) {
            try (Browser b = new Browser(TestApp.server().getURI(), "Europe/Berlin", size[0], size[1])) {
                b.logIn(user, PASSWORD);
                for (String page : screens) {
                    b.go(page);
                    b.await(d -> "complete".equals(b.js("return document.readyState")) ? true : null);
                    b.axeViolations().forEach(v -> found.add(size[0] + "px " + page + " " + v));
                    Object overflow = b.js("return document.documentElement.scrollWidth - window.innerWidth");
                    if (((Number) overflow).longValue() > 0) {
                        found.add(size[0] + "px " + page + " scrolls sideways by " + overflow + " px");
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
