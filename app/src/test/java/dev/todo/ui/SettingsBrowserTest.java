package dev.todo.ui;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Tags, stats and settings pages, as a user drives them. */
class SettingsBrowserTest {

    static final String PASSWORD = "correct-horse-battery";

    @Test
    void tagsRenameMergeAndDelete_statsChart_tokensAndWebhooks() {
        String user = "s" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Browser b = Browser.open(TestApp.server().getURI())) {
            b.signUp(user, PASSWORD);
            Api api = TestApp.api().login(user, PASSWORD);
            api.post("/api/tasks", "{\"title\":\"One\",\"tags\":[\"home\"]}");
            api.post("/api/tasks", "{\"title\":\"Two\",\"tags\":[\"house\"]}");
            String done = api.post("/api/tasks", "{\"title\":\"Three\"}").json().path("id").asText();
            api.post("/api/tasks/" + done + "/complete");

            // merge #house into #home by renaming it
            b.go("/tags");
            WebElement rename = b.field("New name for #house (an existing name merges)");
            rename.clear();
            rename.sendKeys("home");
            b.button("Save #house").click();
            b.await(d -> d.findElement(By.cssSelector(".notice")).getText().contains("#house is now #home") ? true : null);
            assertThat(b.driver.findElement(By.cssSelector("ul.list")).getText()).contains("2 open tasks").doesNotContain("#house");
            b.button("Delete #home").click();
            b.await(d -> d.findElement(By.cssSelector(".notice")).getText().contains("Deleted #home") ? true : null);
            assertThat(api.get("/api/tags").json().path("items").size()).isZero();

            // the chart counts today's completion
            b.go("/stats");
            assertThat(b.driver.findElements(By.cssSelector("svg.chart rect.bar"))).hasSize(30);
            assertThat(b.driver.findElement(By.tagName("desc")).getAttribute("textContent")).startsWith("1 tasks completed in the last 30 days");

            // a token's secret is shown once and works against the API
            b.go("/settings");
            b.field("Token name").sendKeys("laptop script");
            b.button("Create token").click();
            String secret = b.await(d -> d.findElement(By.id("secret")).getText());
            assertThat(TestApp.api().as(secret).get("/api/tasks").status()).isEqualTo(200);
            b.go("/settings");
            assertThat(b.driver.findElements(By.id("secret"))).isEmpty();
            b.button("Revoke token laptop script").click();
            b.await(d -> d.findElement(By.cssSelector(".notice")).getText().contains("revoked") ? true : null);
            assertThat(TestApp.api().as(secret).get("/api/tasks").status()).isEqualTo(401);

            // a webhook to a private address is refused, with the reason next to the field
            b.field("Payload URL").sendKeys("http://127.0.0.1:9/hook");
            b.button("Register webhook").click();
            WebElement url = b.await(d -> "true".equals(b.field("Payload URL").getAttribute("aria-invalid")) ? b.field("Payload URL") : null);
            assertThat(b.driver.findElement(By.id(url.getAttribute("aria-describedby"))).getText()).isNotBlank();
            assertThat(api.get("/api/webhooks").json().path("items").size()).isZero();

            // time zone
            WebElement zone = b.field("Your time zone");
            zone.clear();
            zone.sendKeys("America/New_York");
            b.button("Save time zone").click();
            b.await(d -> d.findElement(By.cssSelector(".notice")).getText().contains("America/New_York") ? true : null);
            assertThat(api.get("/api/me").json().path("timeZone").asText()).isEqualTo("America/New_York");
        }
    }

    @Test
    void aFormFromAnotherSiteOrWithoutTheTokenChangesNothing() throws Exception {
        String user = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Browser b = Browser.open(TestApp.server().getURI())) {
            b.signUp(user, PASSWORD);
            org.openqa.selenium.Cookie cookie = b.driver.manage().getCookieNamed(Sessions.COOKIE);
            assertThat(cookie.isHttpOnly()).isTrue();
            assertThat(cookie.getSameSite()).isEqualTo("Lax");
            var http = java.net.http.HttpClient.newHttpClient();
            java.util.function.BiFunction<String, String, Integer> post = (origin, body) -> {
                var req = java.net.http.HttpRequest.newBuilder(TestApp.server().getURI().resolve("/tasks"))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", Sessions.COOKIE + "=" + cookie.getValue());
                if (origin != null) {
                    req.header("Origin", origin);
                }
                try {
                    return http.send(req.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(post.apply(null, "text=no+token")).isEqualTo(403);
            assertThat(post.apply("https://evil.example", "text=cross+site&_csrf=whatever")).isEqualTo(403);
            Api api = TestApp.api().login(user, PASSWORD);
            assertThat(api.get("/api/tasks").json().path("items").size()).isZero();

            // logging out ends the session: the old cookie no longer opens the list
            b.button("Log out " + user).click();
            b.await(d -> b.path().startsWith("/login") ? true : null);
            var res = http.send(java.net.http.HttpRequest.newBuilder(TestApp.server().getURI().resolve("/"))
                    .header("Cookie", Sessions.COOKIE + "=" + cookie.getValue()).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(303);
            assertThat(res.headers().firstValue("Location")).hasValue("/login?next=%2F");
        }
    }

    /**
     * Each page opens a live stream. A page the user leaves lets its stream go at once: over HTTP/1.1
     * a browser keeps at most six connections to the server, and streams left open by pages left
     * behind made the seventh page's form wait about a minute for one of them to end.
     */
    @Test
    void pagesLeftBehindLetTheirLiveStreamsGo() {
        String user = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Browser b = Browser.open(TestApp.server().getURI())) {
            b.signUp(user, PASSWORD);
            java.util.UUID id = java.util.UUID.fromString(TestApp.api().login(user, PASSWORD).get("/api/me").json().get("id").asText());
            dev.todo.live.LiveStreams streams = TestApp.server().getApplicationContext().getBean(dev.todo.live.LiveStreams.class);
            for (String page : java.util.List.of("/tags", "/stats", "/settings", "/", "/tags", "/stats", "/settings")) {
                b.go(page);
                b.awaitLive();
            }
            b.await(d -> streams.size(id) == 1 ? true : null);
            b.driver.manage().timeouts().pageLoadTimeout(java.time.Duration.ofSeconds(10));
            b.field("Token name").sendKeys("eighth page");
            b.button("Create token").click();
            String secret = b.await(d -> d.findElement(By.id("secret")).getText());
            assertThat(secret).startsWith("todo_pat_");
        }
    }
}
