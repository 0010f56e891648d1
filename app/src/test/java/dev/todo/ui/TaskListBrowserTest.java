package dev.todo.ui;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The task list in a real browser: sign-up, quick add, filters in the URL, live changes, keyboard, escaping. */
class TaskListBrowserTest {

    static final String PASSWORD = "correct-horse-battery";
    Browser browser;
    String username;

    @BeforeEach
    void open() {
        browser = Browser.open(TestApp.server().getURI());
        username = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @AfterEach
    void close() {
        browser.close();
    }

    @Test
    void signUpTakesTheBrowsersZoneAndQuickAddUnderstandsTheSyntax() {
        browser.signUp(username, PASSWORD);
        Api api = TestApp.api().login(username, PASSWORD);
        assertThat(api.get("/api/me").json().path("timeZone").asText()).isEqualTo("Europe/Berlin");

        WebElement quick = browser.field("Add a task");
        quick.sendKeys("Pay rent tomorrow 9am !high #home every month");
        browser.await(d -> d.findElement(By.id("quick-preview")).getText().contains("every month") ? true : null);
        java.time.Instant added = java.time.Instant.now();
        quick.sendKeys(Keys.ENTER);

        String rowText = browser.await(d -> browser.row("Pay rent").getText());
        java.time.Instant read = java.time.Instant.now();
        assertThat(rowText).contains("High", "Repeats", "#home");
        assertThat(browser.field("Add a task").getAttribute("value")).isEmpty();
        var task = api.get("/api/tasks").json().path("items").get(0);
        assertThat(task.path("title").asText()).isEqualTo("Pay rent");
        assertThat(task.path("priority").asText()).isEqualTo("high");
        assertThat(task.path("tags").get(0).asText()).isEqualTo("home");
        assertThat(task.path("recurrence").path("rule").asText()).isEqualTo("FREQ=MONTHLY");
        assertThat(task.path("dueAt").asText()).endsWith("T09:00:00+01:00");
        // the due label is relative to the viewer's present: "tomorrow 09:00", or "in 9 hours" late in the evening
        java.time.Instant due = java.time.OffsetDateTime.parse(task.path("dueAt").asText()).toInstant();
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        assertThat(rowText).containsAnyOf(When.relative(due, false, berlin, added), When.relative(due, false, berlin, read));

        // the exact time shows on hover and on focus
        String exact = browser.await(d -> browser.row("Pay rent").findElement(By.tagName("time")).getAttribute("data-exact"));
        assertThat(exact).isEqualTo("Thursday 3 December 2026, 09:00, Europe/Berlin".replace("Thursday 3 December 2026",
                java.time.format.DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", java.util.Locale.ENGLISH)
                        .format(java.time.LocalDate.now(java.time.ZoneId.of("Europe/Berlin")).plusDays(1))));
    }

    @Test
    void filteringByATagPutsTheFilterInTheUrlAndSurvivesAReload() {
        browser.signUp(username, PASSWORD);
        Api api = TestApp.api().login(username, PASSWORD);
        api.post("/api/tasks", "{\"title\":\"Water plants\",\"tags\":[\"home\"]}");
        api.post("/api/tasks", "{\"title\":\"Write report\",\"tags\":[\"work\"]}");
        browser.go("/");
        browser.row("Write report");

        browser.button("More filters").click();
        browser.field("#home").click();
        browser.await(d -> browser.path().equals("/?tag=home") ? true : null);
        browser.await(d -> browser.rows("Write report").isEmpty() ? true : null);
        assertThat(browser.rows("Water plants")).hasSize(1);

        browser.driver.navigate().refresh();
        browser.row("Water plants");
        assertThat(browser.rows("Write report")).isEmpty();
        assertThat(browser.field("#home").isSelected()).isTrue();

        // a tag on a row is a link to the same filter
        browser.go("/");
        browser.row("Write report").findElement(By.linkText("#work")).click();
        browser.await(d -> browser.path().equals("/?tag=work") ? true : null);
        assertThat(browser.rows("Water plants")).isEmpty();
    }

    @Test
    void aChangeMadeThroughTheApiAppearsWithoutReload() {
        browser.signUp(username, PASSWORD);
        browser.awaitLive();
        Api api = TestApp.api().login(username, PASSWORD);
        var created = api.post("/api/tasks", "{\"title\":\"Made elsewhere\"}").json();
        browser.row("Made elsewhere");
        api.patch("/api/tasks/" + created.path("id").asText(), "{\"title\":\"Renamed elsewhere\"}");
        browser.row("Renamed elsewhere");
        api.delete("/api/tasks/" + created.path("id").asText());
        browser.await(d -> browser.rows("Renamed elsewhere").isEmpty() ? true : null);
    }

    @Test
    void afterANetworkDropThePageResumesFromTheLastEventWithoutLosingAChange() {
        browser.signUp(username, PASSWORD);
        browser.awaitLive();
        Api api = TestApp.api().login(username, PASSWORD);
        api.post("/api/tasks", "{\"title\":\"Before the drop\"}");
        browser.row("Before the drop");
        browser.await(d -> browser.js("return window.todoLive.lastEventId()") != null ? true : null);
        assertThat(browser.js("return window.todoLive.drop(2500)")).isEqualTo(true);
        api.post("/api/tasks", "{\"title\":\"During the drop\"}");
        assertThat(browser.rows("During the drop")).isEmpty(); // nothing reaches a closed stream
        browser.row("During the drop"); // replayed from Last-Event-ID once the stream is back
        browser.awaitLive();
    }

    @Test
    void keyboardAloneAddsCompletesAndUndoes() {
        browser.signUp(username, PASSWORD);
        Actions keys = new Actions(browser.driver);
        keys.sendKeys("n").perform();
        assertThat(browser.driver.switchTo().activeElement().getAttribute("name")).isEqualTo("text");
        keys.sendKeys("Call mum").sendKeys(Keys.ENTER).perform();
        browser.row("Call mum");
        keys.sendKeys(Keys.ESCAPE).sendKeys("j").perform();
        browser.await(d -> browser.row("Call mum").getAttribute("class").contains("selected") ? true : null);
        keys.sendKeys("x").perform();
        browser.await(d -> d.findElement(By.id("toasts")).getText().contains("Completed “Call mum”") ? true : null);
        browser.await(d -> browser.row("Call mum").getAttribute("class").contains("done") ? true : null);
        keys.sendKeys("u").perform();
        browser.await(d -> !browser.row("Call mum").getAttribute("class").contains("done") ? true : null);
        Api api = TestApp.api().login(username, PASSWORD);
        assertThat(api.get("/api/tasks").json().path("items").get(0).path("completed").asBoolean()).isFalse();

        keys.sendKeys("?").perform();
        browser.await(d -> d.findElement(By.id("shortcuts")).isDisplayed() ? true : null);
    }

    @Test
    void deleteWaitsForItsUndoWindowAndUndoKeepsTheTask() {
        browser.signUp(username, PASSWORD);
        Api api = TestApp.api().login(username, PASSWORD);
        api.post("/api/tasks", "{\"title\":\"Keep me\"}");
        api.post("/api/tasks", "{\"title\":\"Drop me\"}");
        browser.go("/");
        browser.row("Keep me").findElement(By.xpath(".//button[normalize-space()='Delete']")).click();
        browser.await(d -> browser.rows("Keep me").isEmpty() ? true : null);
        browser.button("Undo").click();
        browser.row("Keep me");

        browser.row("Drop me").findElement(By.xpath(".//button[normalize-space()='Delete']")).click();
        browser.await(d -> api.get("/api/tasks").json().path("items").size() == 1 ? true : null);
        assertThat(api.get("/api/tasks").json().path("items").get(0).path("title").asText()).isEqualTo("Keep me");
    }

    @Test
    void aScriptTitleIsShownAsText() {
        browser.signUp(username, PASSWORD);
        String title = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        browser.field("Add a task").sendKeys(title, Keys.ENTER);
        assertThat(browser.<String>await(d -> browser.row(title).findElement(By.className("task-title")).getText())).isEqualTo(title);
        assertThat(browser.driver.findElements(By.cssSelector("#task-list img"))).isEmpty();
        browser.driver.navigate().refresh();
        assertThat(browser.<String>await(d -> browser.row(title).findElement(By.className("task-title")).getText())).isEqualTo(title);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> browser.driver.switchTo().alert())
                .isInstanceOf(org.openqa.selenium.NoAlertPresentException.class);
    }
}
