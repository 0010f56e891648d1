package dev.todo.ui;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's own complete against the live stream: a list refresh and the completion can answer in either
 * order, and the completed row still shows done with its undo. The page's requests are held back (a slow
 * network) by wrapping XMLHttpRequest; nothing here sleeps.
 */
class LiveRaceBrowserTest {
    static final String PASSWORD = "correct-horse-battery";
    /** marks list requests and the one matching window.__slow as sent and done; the latter answers 1.5 s late */
    static final String HOOK = "window.__sent={};window.__done={};var o=XMLHttpRequest.prototype.open,s=XMLHttpRequest.prototype.send;"
            + "XMLHttpRequest.prototype.open=function(m,u){this.__u=String(u);return o.apply(this,arguments)};"
            + "XMLHttpRequest.prototype.send=function(){var x=this,key=x.__u.indexOf(window.__slow)>=0?'slow':(x.__u.indexOf('/tasks/list')>=0?'list':null);"
            + "if(key){window.__sent[key]=true;var ol=x.onload;x.onload=function(ev){setTimeout(function(){ol.call(x,ev);window.__done[key]=true},key==='slow'?1500:0)}}"
            + "return s.apply(this,arguments)};";
    Browser browser;
    String username;

    @BeforeEach
    void open() {
        browser = Browser.open(TestApp.server().getURI());
        username = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @AfterEach
    void close() {
        browser.close();
    }

    void setUp(String slow) {
        browser.signUp(username, PASSWORD);
        browser.awaitLive();
        Actions keys = new Actions(browser.driver);
        keys.sendKeys("n").sendKeys("Call mum").sendKeys(Keys.ENTER).perform();
        browser.row("Call mum");
        keys.sendKeys(Keys.ESCAPE).sendKeys("j").perform();
        browser.await(d -> browser.row("Call mum").getAttribute("class").contains("selected") ? true : null);
        browser.js("window.__slow=arguments[0];" + HOOK, slow);
    }

    /** a live refresh is read before the completion and answers after it */
    @Test
    void aLiveRefreshReadBeforeTheCompletionDoesNotReopenTheRow() {
        setUp("/tasks/list");
        Api api = TestApp.api().login(username, PASSWORD);
        api.post("/api/tasks", "{\"title\":\"Elsewhere\"}");
        browser.await(d -> Boolean.TRUE.equals(browser.js("return !!window.__sent.slow")) ? true : null);
        new Actions(browser.driver).sendKeys("x").perform();
        browser.await(d -> d.findElement(By.id("toasts")).getText().contains("Completed “Call mum”") ? true : null);
        browser.await(d -> Boolean.TRUE.equals(browser.js("return !!window.__done.slow")) ? true : null);
        browser.await(d -> browser.row("Elsewhere"));
        assertThat(browser.row("Call mum").getAttribute("class")).contains("done");
    }

    /** a live refresh reads the list after the completion (open tasks only) and answers before it */
    @Test
    void aLiveRefreshWithoutTheRowDoesNotLoseTheCompletionsAnswer() {
        setUp("/complete");
        new Actions(browser.driver).sendKeys("x").perform();
        browser.await(d -> Boolean.TRUE.equals(browser.js("return !!window.__sent.slow")) ? true : null);
        Api api = TestApp.api().login(username, PASSWORD);
        browser.await(d -> api.get("/api/tasks").json().path("items").isEmpty() ? true : null); // open tasks only: completed
        api.post("/api/tasks", "{\"title\":\"Elsewhere\"}");
        browser.row("Elsewhere");
        browser.await(d -> Boolean.TRUE.equals(browser.js("return !!window.__done.slow")) ? true : null);
        browser.await(d -> d.findElement(By.id("toasts")).getText().contains("Completed “Call mum”") ? true : null);
        browser.await(d -> browser.row("Call mum").getAttribute("class").contains("done") ? true : null);
        browser.row("Call mum").findElement(By.xpath(".//button[@data-toggle]")).click(); // still an htmx form
        browser.await(d -> !browser.row("Call mum").getAttribute("class").contains("done") ? true : null);
    }

    /**
     * htmx wires up the rows a swap brings only when the swap settles; "x" pressed on such a row in
     * between completes it in place rather than submitting its form the old way and leaving the page.
     * The settle is stretched to 3 s here so the key lands in that gap every time.
     */
    @Test
    void aKeyOnARowALiveRefreshJustSwappedInCompletesItInPlace() {
        setUp("/nothing-is-slow");
        String id = browser.await(d -> browser.row("Call mum").getAttribute("id")); // a live refresh may swap it meanwhile
        browser.js("htmx.config.defaultSettleDelay = 3000; window.__stayed = true; window.__before = document.getElementById(arguments[0]);", id);
        Api api = TestApp.api().login(username, PASSWORD);
        api.post("/api/tasks", "{\"title\":\"Elsewhere\"}");
        // the refresh that brought "Elsewhere" has swapped the list in, and has not settled yet
        browser.await(d -> Boolean.TRUE.equals(browser.js("var r = document.getElementById(arguments[0]);"
                + " var titles = Array.from(document.querySelectorAll('#task-list a.task-title')).map(function (a) { return a.textContent.trim(); });"
                + " return !!r && r !== window.__before && titles.indexOf('Elsewhere') >= 0", id)) ? true : null);
        new Actions(browser.driver).sendKeys("x").perform();
        browser.await(d -> browser.row("Call mum").getAttribute("class").contains("done") ? true : null);
        assertThat(browser.js("return window.__stayed === true")).as("the page was not left").isEqualTo(true);
        assertThat(api.get("/api/tasks?status=completed").json().path("items").findValuesAsText("title")).containsExactly("Call mum");
    }
}
