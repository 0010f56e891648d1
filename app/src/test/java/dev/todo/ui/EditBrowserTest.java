package dev.todo.ui;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The edit page in a real browser: recurrence editor and preview, completing a repeating task, conflicts, field errors. */
class EditBrowserTest {

    static final String PASSWORD = "correct-horse-battery";
    Browser browser;
    String username;
    Api api;

    @BeforeEach
    void open() {
        browser = Browser.open(TestApp.server().getURI());
        username = "e" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        browser.signUp(username, PASSWORD);
        api = TestApp.api().login(username, PASSWORD);
    }

    @AfterEach
    void close() {
        browser.close();
    }

    String createDueTomorrow(String title) {
        String due = ZonedDateTime.now(ZoneId.of("Europe/Berlin")).plusDays(1).withHour(9).withMinute(0).withSecond(0).withNano(0)
                .toOffsetDateTime().toString();
        return api.post("/api/tasks", "{\"title\":\"" + title + "\",\"dueAt\":\"" + due + "\",\"timeZone\":\"Europe/Berlin\"}")
                .json().path("id").asText();
    }

    int previewLines() {
        return browser.driver.findElements(By.cssSelector("#preview li")).size();
    }

    @Test
    void theRecurrenceEditorPreviewsDatesAndCompletingBringsTheNextOccurrence() {
        String id = createDueTomorrow("Stretch");
        browser.go("/");
        browser.button("Edit Stretch").click();
        browser.await(d -> browser.path().equals("/tasks/" + id) ? true : null);
        assertThat(browser.driver.findElement(By.id("preview")).getText()).contains("Does not repeat");

        new Select(browser.field("Repeats")).selectByVisibleText("Weekly");
        browser.await(d -> previewLines() == 6 ? true : null); // this one and the next five
        String weekly = browser.driver.findElement(By.id("preview")).getText();
        assertThat(weekly).contains("09:00").contains("FREQ=WEEKLY");

        new Select(browser.field("Repeats")).selectByVisibleText("Custom rule (RRULE)");
        WebElement rule = browser.field("RRULE (for Custom)");
        rule.clear();
        rule.sendKeys("FREQ=SOMETIMES");
        browser.await(d -> d.findElement(By.id("preview")).getText().contains("recurrence.rule") ? true : null);
        rule.clear();
        rule.sendKeys("FREQ=DAILY;COUNT=3");
        browser.await(d -> previewLines() == 3 ? true : null);

        new Select(browser.field("Repeats")).selectByVisibleText("Weekly");
        browser.button("Save").click();
        browser.await(d -> d.findElements(By.cssSelector(".notice")).stream().anyMatch(e -> e.getText().contains("Saved")) ? true : null);
        assertThat(api.get("/api/tasks/" + id).json().path("recurrence").path("rule").asText()).startsWith("FREQ=WEEKLY");

        browser.go("/");
        browser.awaitLive();
        browser.button("Complete Stretch").click();
        // the completed one stays (done, with its undo) and the next occurrence arrives over the live stream
        browser.await(d -> browser.rows("Stretch").size() == 2 ? true : null);
        assertThat(browser.rows("Stretch").stream().filter(r -> r.getAttribute("class").contains("done")).count()).isEqualTo(1);
    }

    @Test
    void aConflictingEditIsReportedNotOverwrittenAndFieldErrorsShowNextToTheirFields() {
        String id = createDueTomorrow("Draft");
        browser.go("/tasks/" + id);
        api.patch("/api/tasks/" + id, "{\"title\":\"Changed in another tab\"}");
        WebElement title = browser.field("Title");
        title.clear();
        title.sendKeys("My edit");
        browser.button("Save").click();
        browser.await(d -> d.findElements(By.cssSelector("[role=alert]")).stream().anyMatch(e -> e.getText().contains("conflicting edit")) ? true : null);
        assertThat(api.get("/api/tasks/" + id).json().path("title").asText()).isEqualTo("Changed in another tab");
        assertThat(browser.field("Title").getAttribute("value")).isEqualTo("My edit"); // nothing typed is lost
        browser.button("Save").click(); // now against the current version: the user chose to replace it
        browser.await(d -> d.findElements(By.cssSelector(".notice")).stream().anyMatch(e -> e.getText().contains("Saved")) ? true : null);
        assertThat(api.get("/api/tasks/" + id).json().path("title").asText()).isEqualTo("My edit");

        browser.field("Title").clear();
        browser.field("Time zone").clear();
        browser.field("Time zone").sendKeys("Mars/Olympus");
        browser.button("Save").click();
        WebElement titleField = browser.await(d -> "true".equals(browser.field("Title").getAttribute("aria-invalid")) ? browser.field("Title") : null);
        String describedBy = titleField.getAttribute("aria-describedby");
        assertThat(browser.driver.findElement(By.id(describedBy)).getText()).contains("must not be empty");
        WebElement zone = browser.field("Time zone");
        assertThat(browser.driver.findElement(By.id(zone.getAttribute("aria-describedby"))).getText()).contains("Mars/Olympus");
        assertThat(api.get("/api/tasks/" + id).json().path("title").asText()).isEqualTo("My edit");
    }
}
