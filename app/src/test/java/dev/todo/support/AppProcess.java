package dev.todo.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application as a real child process (the test classpath's main class, or any command such as
 * {@code ./run}), so that it can be killed as a crash kills it: SIGKILL, no shutdown hooks.
 */
public final class AppProcess implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final Pattern DB_PORT = Pattern.compile("Embedded .* on port (\\d+) ");

    private final Process process;
    private final int port;
    private final Path log;
    private final long launchedAt;

    private AppProcess(Process process, int port, Path log, long launchedAt) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.launchedAt = launchedAt;
    }

    /** Starts {@code dev.todo.Application} from the test classpath on its embedded defaults. */
    public static AppProcess start(Path dataDir, Map<String, String> env, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return start(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.todo.Application"), null,
                dataDir, env, log);
    }

    /** Starts {@code command} in {@code workDir} with the environment of an app on embedded defaults. */
    public static AppProcess start(List<String> command, Path workDir, Path dataDir, Map<String, String> env, Path log) {
        try {
            int port = freePort();
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Map<String, String> e = pb.environment();
            e.keySet().removeIf(k -> k.startsWith("TODO_") || k.startsWith("DATASOURCES_") || k.startsWith("MICRONAUT_"));
            e.put("TODO_DATA_DIR", dataDir.toString());
            e.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
            e.put("TODO_AUTH_BCRYPT_COST", "4");
            e.putAll(env);
            long launchedAt = System.nanoTime();
            return new AppProcess(pb.start(), port, log, launchedAt);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public URI base() {
        return URI.create("http://localhost:" + port);
    }

    public long pid() {
        return process.toHandle().pid();
    }

    public Process process() {
        return process;
    }

    /** Status of {@code GET /health/readiness}, or -1 when nothing answers (in time). */
    public int readiness() {
        try {
            return CLIENT.send(HttpRequest.newBuilder(base().resolve("/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Awaits readiness; returns the time from the launch of the process until it was ready. */
    public Duration awaitReady(Duration deadline) {
        long end = launchedAt + deadline.toNanos();
        while (readiness() != 200) {
            if (!process.isAlive()) {
                throw new AssertionError("the app exited (" + process.exitValue() + ") before it was ready:\n" + logTail());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the app was not ready within " + deadline + " of its launch:\n" + logTail());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - launchedAt);
    }

    /** SIGKILL, as the OOM killer or a crash would: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The port of the embedded PostgreSQL the app reported (its last start). */
    public int databasePort() {
        Matcher m = DB_PORT.matcher(logText());
        int found = -1;
        while (m.find()) {
            found = Integer.parseInt(m.group(1));
        }
        if (found < 0) {
            throw new AssertionError("no embedded database in the log:\n" + logTail());
        }
        return found;
    }

    /** A connection to the app's embedded database, to check its contents directly. */
    public Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + databasePort() + "/todo", "postgres", "");
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public String logTail() {
        String text = logText();
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }

    /** Stops the app as an operator would (SIGTERM) and waits for it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static Map<String, String> env(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
