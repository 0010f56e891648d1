package dev.todo.ui;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A reminder firing reaches the bell of every open window of its user, live, and nobody else's. */
class NotificationBrowserTest {

    static final String PASSWORD = "correct-horse-battery";

    static String name(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static String bell(Browser b) {
        return b.driver.findElement(By.id("bell")).getAttribute("aria-label");
    }

    @Test
    void aReminderShowsInTheBellOfBothWindowsOfItsUserAndNotInAnotherUsers() {
        String ada = name("n");
        String bob = name("o");
        try (Browser a = Browser.open(TestApp.server().getURI()); Browser b = Browser.open(TestApp.server().getURI())) {
            a.signUp(ada, PASSWORD);
            String first = a.driver.getWindowHandle();
            a.driver.switchTo().newWindow(WindowType.WINDOW);
            String second = a.driver.getWindowHandle();
            a.go("/");
            a.awaitLive();
            a.driver.switchTo().window(first);
            a.awaitLive();
            b.signUp(bob, PASSWORD);
            b.awaitLive();
            assertThat(bell(a)).isEqualTo("Notifications, none unread");

            Api api = TestApp.api().login(ada, PASSWORD);
            Instant fire = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
            api.post("/api/tasks", "{\"title\":\"Call the bank\",\"dueAt\":\"" + fire.plusSeconds(3600)
                    + "\",\"reminders\":[{\"at\":\"" + fire + "\"}]}");

            for (String window : List.of(first, second)) {
                a.driver.switchTo().window(window);
                // the bell is swapped by htmx while it updates: a reference to the old one is looked up again
                a.await(java.time.Duration.ofSeconds(30), d -> bell(a).equals("Notifications, 1 unread")
                        && d.findElement(By.id("bell-count")).getText().equals("1") ? true : null);
            }
            // the toast and the live region say it too
            assertThat(a.driver.findElement(By.id("toasts")).getText()).contains("Reminder: Call the bank");

            // the other user's page got nothing, though its stream was open all along
            assertThat(b.js("return window.todoLive.state()")).isEqualTo(1L);
            assertThat(bell(b)).isEqualTo("Notifications, none unread");
            assertThat(b.driver.findElements(By.id("bell-count"))).isEmpty();

            // marking it read in one window clears the count in the other
            a.driver.switchTo().window(second);
            a.button("Notifications, 1 unread").click();
            a.await(d -> a.path().equals("/notifications") ? true : null);
            a.awaitLive();
            assertThat(a.driver.findElement(By.id("main")).getText()).contains("Call the bank");
            a.button("Mark read").click();
            a.await(d -> bell(a).equals("Notifications, none unread") ? true : null);
            a.driver.switchTo().window(first);
            a.await(d -> bell(a).equals("Notifications, none unread") ? true : null);
        }
    }
}
