package dev.todo.ui;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Screenshots of the main screens for the README, written to docs/screenshots/:
 * {@code ./mvnw -pl app test -Dtest=UiScreenshots -Dscreenshots.dir=../docs/screenshots}.
 * Not part of the normal test run (the class name does not end in Test).
 */
class UiScreenshots {

    @Test
    void mainScreens() throws IOException {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        String user = "ada" + UUID.randomUUID().toString().substring(0, 4);
        String password = "correct-horse-battery";
        Api api = TestApp.api().newUser(user, password);
        String zone = "Europe/Berlin";
        api.patch("/api/me", "{\"timeZone\":\"" + zone + "\"}");
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneId.of(zone));
        java.util.function.Function<java.time.ZonedDateTime, String> iso = t -> t.withSecond(0).withNano(0).toOffsetDateTime().toString();
        api.patch("/api/tags/home", "{}");
        api.post("/api/tasks", "{\"title\":\"Pay rent\",\"priority\":\"high\",\"tags\":[\"home\"],\"dueAt\":\"" + iso.apply(now.plusDays(1).withHour(9).withMinute(0))
                + "\",\"recurrence\":{\"every\":\"month\"}}");
        api.post("/api/tasks", "{\"title\":\"Send the quarterly report to Maria\",\"priority\":\"urgent\",\"tags\":[\"work\"],\"dueAt\":\""
                + iso.apply(now.minusHours(3)) + "\"}");
        api.post("/api/tasks", "{\"title\":\"Book dentist appointment\",\"priority\":\"medium\",\"tags\":[\"health\"],\"dueAt\":\""
                + iso.apply(now.plusHours(2)) + "\"}");
        api.post("/api/tasks", "{\"title\":\"Water the plants\",\"tags\":[\"home\"],\"dueAt\":\"" + iso.apply(now.plusDays(3).withHour(18).withMinute(30))
                + "\",\"recurrence\":{\"every\":\"week\",\"on\":[\"MO\",\"TH\"]}}");
        api.post("/api/tasks", "{\"title\":\"Read “The Pragmatic Programmer”\",\"priority\":\"low\",\"tags\":[\"reading\"]}");
        api.post("/api/tasks", "{\"title\":\"Plan the team offsite\",\"tags\":[\"work\"],\"dueAt\":\"" + iso.apply(now.plusDays(9).withHour(10).withMinute(0)) + "\"}");
        api.patch("/api/tags/work", "{\"color\":\"#2563eb\"}");
        String soon = api.post("/api/tasks", "{\"title\":\"Stand-up call\",\"dueAt\":\"" + iso.apply(now.plusMinutes(30))
                + "\",\"reminders\":[{\"at\":\"" + java.time.Instant.now().plusSeconds(2) + "\"}]}").json().path("id").asText();
        for (int i = 0; i < 12; i++) {
            String id = api.post("/api/tasks", "{\"title\":\"Done " + i + "\"}").json().path("id").asText();
            if (i % 3 != 1) {
                api.post("/api/tasks/" + id + "/complete");
            }
        }
        api.patch("/api/tags/home", "{\"color\":\"#16a34a\"}");
        api.patch("/api/tags/health", "{\"color\":\"#db2777\"}");

        try (Browser b = Browser.open(TestApp.server().getURI())) {
            b.logIn(user, password);
            b.row("Pay rent");
            b.field("Add a task").sendKeys("Call mum sun 11am #family !high");
            b.await(d -> d.findElement(By.id("quick-preview")).getText().contains("priority high") ? true : null);
            Files.write(dir.resolve("list.png"), b.screenshot());

            b.button("Edit Pay rent").click();
            b.await(d -> d.findElements(org.openqa.selenium.By.cssSelector("#preview li")).size() == 6 ? true : null);
            b.js("window.scrollTo(0, 0)");
            Files.write(dir.resolve("edit-recurrence.png"), b.screenshot());

            b.go("/notifications");
            b.await(d -> d.findElement(org.openqa.selenium.By.id("main")).getText().contains("Stand-up call") ? true : null);
            Files.write(dir.resolve("notifications.png"), b.screenshot());

            b.go("/stats");
            Files.write(dir.resolve("stats.png"), b.screenshot());
        }
        try (Browser b = new Browser(TestApp.server().getURI(), zone, 360, 760)) {
            b.logIn(user, password);
            b.row("Pay rent");
            Files.write(dir.resolve("list-phone.png"), b.screenshot());
        }
        for (String f : new String[] {"list.png", "edit-recurrence.png", "notifications.png", "stats.png", "list-phone.png"}) {
            assertThat(dir.resolve(f)).isNotEmptyFile();
        }
    }
}
