package dev.todo.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Debian's Chromium, headless, driven through chromedriver as a person would: fields found by their
 * label, buttons by their text or accessible name, keys typed. Its clock zone is set, so the page
 * sees a browser in that zone.
 */
final class Browser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SEES = "the browser is at: ";

    final ChromeDriver driver;
    final URI base;

    Browser(URI base, String timeZone, int width, int height) {
        this.base = base;
        requireInstalled(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        requireInstalled(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
        ChromeOptions options = new ChromeOptions();
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        if (width < 500) {
            // a desktop window cannot be this narrow: emulate a phone's viewport instead
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", width, "height", height, "pixelRatio", 2.0, "mobile", true, "touch", true)));
        }
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + Math.max(width, 500) + "," + height, "--force-device-scale-factor=1", "--lang=en-GB", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", timeZone))
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    /**
     * On a laptop without Chromium the browser tests are skipped with the command that installs it;
     * in CI (CI=true, where .ci/run installs it) a missing browser fails them.
     */
    static void requireInstalled(String path) {
        if (!Files.isExecutable(Path.of(path))) {
            String message = path + " is missing: apt-get install chromium chromium-driver (as .ci/run does)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            throw new org.opentest4j.TestAbortedException(message);
        }
    }

    static Browser open(URI base) {
        return new Browser(base, "Europe/Berlin", 1280, 900);
    }

    void go(String path) {
        driver.get(base.resolve(path).toString());
    }

    String path() {
        URI u = URI.create(driver.getCurrentUrl());
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    /** The control a label names. */
    WebElement field(String label) {
        WebElement l = await(d -> d.findElements(By.xpath("//label[normalize-space()=" + xpath(label) + "]")).stream()
                .filter(WebElement::isDisplayed).findFirst().orElse(null));
        String id = l.getAttribute("for");
        return id == null || id.isEmpty() ? l.findElement(By.cssSelector("input, select, textarea")) : driver.findElement(By.id(id));
    }

    /** A visible button or link with this text or accessible name. */
    WebElement button(String name) {
        String n = xpath(name);
        return await(d -> d.findElements(By.xpath("//button[normalize-space()=" + n + " or @aria-label=" + n + "] | //summary[normalize-space()=" + n
                + "] | //a[normalize-space()=" + n
                + " or @aria-label=" + n + "]")).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** The task row whose title is this text, once it is shown. */
    WebElement row(String title) {
        return await(d -> d.findElements(By.xpath("//li[contains(@class,'task')][.//a[contains(@class,'task-title') and normalize-space()="
                + xpath(title) + "]]")).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    List<WebElement> rows(String title) {
        return driver.findElements(By.xpath("//li[contains(@class,'task')][not(@hidden)][.//a[contains(@class,'task-title') and normalize-space()="
                + xpath(title) + "]]"));
    }

    void signUp(String username, String password) {
        go("/signup");
        field("Username").sendKeys(username);
        field("Password").sendKeys(password);
        button("Sign up").click();
        await(d -> path().equals("/") ? true : null);
    }

    void logIn(String username, String password) {
        go("/login");
        field("Username").sendKeys(username);
        field("Password").sendKeys(password);
        button("Log in").click();
        await(d -> path().equals("/") ? true : null);
    }

    /** Waits until the page's live stream is open, so a change made now reaches it. */
    void awaitLive() {
        await(d -> Long.valueOf(1).equals(js("return window.todoLive ? window.todoLive.state() : -1")) ? true : null);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T await(Function<WebDriver, T> condition) {
        return await(WAIT, condition);
    }

    /**
     * Waits for the condition; an element htmx replaced while it was being read (a stale reference, or
     * Chromium's "does not belong to the document" for a node detached mid-command) is looked up again.
     */
    <T> T await(Duration deadline, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, deadline, Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        try {
            return wait.until(d -> {
                try {
                    return condition.apply(d);
                } catch (org.openqa.selenium.WebDriverException e) {
                    if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                        return null;
                    }
                    throw e;
                }
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            if (e.getMessage() != null && e.getMessage().contains(SEES)) {
                throw e; // a wait inside this one timed out and said so
            }
            throw new org.openqa.selenium.TimeoutException(e.getMessage() + "\n" + whatTheUserSees(), e);
        }
    }

    /** Where the browser is and what it shows, for a wait that timed out: the failure says what went wrong. */
    String whatTheUserSees() {
        StringBuilder s = new StringBuilder();
        try {
            s.append(SEES).append(driver.getCurrentUrl()).append(" \"").append(driver.getTitle()).append('"');
            Object text = js("return document.body ? document.body.innerText : ''");
            String visible = text == null ? "" : text.toString().replaceAll("\\s+", " ").trim();
            s.append("\nshows: ").append(visible.length() > 1500 ? visible.substring(0, 1500) + "…" : visible);
            driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                    .filter(l -> l.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                    .forEach(l -> s.append("\nconsole: ").append(l.getMessage()));
        } catch (RuntimeException e) {
            s.append("\n(could not read the page: ").append(e.getMessage()).append(')');
        }
        return s.toString();
    }

    /**
     * Runs axe-core (the npm package's axe.min.js, fetched by .ci/run) on the page and returns the
     * serious and critical violations, each as "rule: target".
     */
    @SuppressWarnings("unchecked")
    List<String> axeViolations() {
        Path axe = Path.of(System.getProperty("axe.js", "target/axe/node_modules/axe-core/axe.min.js"));
        if (!Files.isRegularFile(axe)) {
            if (!"true".equals(System.getenv("CI"))) {
                throw new org.opentest4j.TestAbortedException("axe-core is missing at " + axe.toAbsolutePath()
                        + ": run `npm install --prefix app/target/axe axe-core@4.14.1` (as .ci/run does)");
            }
            throw new AssertionError("axe-core is missing at " + axe.toAbsolutePath()
                    + ": run `npm install --prefix app/target/axe axe-core@4.14.1` (as .ci/run does)");
        }
        try {
            js(Files.readString(axe));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                        + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                        + ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))).catch(e => done(['axe failed: ' + e]));");
        return (List<String>) result;
    }

    byte[] screenshot() {
        return driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
    }

    static String xpath(String s) {
        if (!s.contains("'")) {
            return "'" + s + "'";
        }
        return "concat('" + s.replace("'", "',\"'\",'") + "')";
    }

    @Override
    public void close() {
        driver.quit();
    }
}
