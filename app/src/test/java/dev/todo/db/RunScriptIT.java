package dev.todo.db;

import dev.todo.support.Api;
import dev.todo.support.AppProcess;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./run} itself, on the packaged jar (so it runs after {@code package}): the Java process
 * killed with SIGKILL, also while it writes its class-data-sharing archive, and started again. The
 * data is there, no half-written archive is ever left in place, and the archive written by a clean
 * stop is mapped by the next starts ({@code -Xshare:on} makes a bad one fatal).
 *
 * <p>The script and the jar are copied into a temporary directory laid out like the repository, so
 * that the archive and the data live there; a stand-in {@code mvnw} fails the test if the script
 * tried to build.
 */
class RunScriptIT {

    @Test
    void killedRunsComeBackWithTheirDataAndTheArchiveIsNeverLeftHalfWritten() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path home = TestApp.tempDir("todo-run");
        Path jar = layout(repo, home);
        Path jsa = home.resolve("app/target/todo-app.jsa");
        Path data = home.resolve("data");
        Path log = home.resolve("run.log");
        List<String> run = List.of(home.resolve("run").toString());

        // 1. first run, no archive yet: killed while the JVM writes the archive on its way out
        String taskId;
        try (AppProcess first = AppProcess.start(run, home, data, Map.of(), log)) {
            first.awaitReady(Duration.ofSeconds(90));
            Api user = new Api(first.base()).newUser("run-user", "run-password");
            taskId = user.createTask("{\"title\":\"kept through ./run\"}").get("id").asText();
            ProcessHandle java = javaOf(first);
            first.process().toHandle().destroy(); // SIGTERM to the script, which hands it on
            await(Duration.ofSeconds(30), () -> temporaryArchives(home).isEmpty() ? 0L : size(temporaryArchives(home).get(0)),
                    s -> s > 0 || !java.isAlive());
            java.destroyForcibly();
            first.process().waitFor();
        }
        assertThat(temporaryArchives(home)).as("no temporary archive left").isEmpty();
        boolean caughtDuringDump = !Files.exists(jsa);
        if (!caughtDuringDump) {
            assertThat(mapsArchive(jsa, jar)).as("an archive in place is whole").isTrue();
        }

        // 2. clean stop: the archive is written, checked and put in place
        try (AppProcess second = AppProcess.start(run, home, data, Map.of(), log)) {
            second.awaitReady(Duration.ofSeconds(90));
            assertThat(new Api(second.base()).login("run-user", "run-password").get("/api/tasks/" + taskId).status())
                    .isEqualTo(200);
            second.process().toHandle().destroy();
            assertThat(second.process().waitFor()).isEqualTo(143);
        }
        assertThat(jsa).exists();
        assertThat(mapsArchive(jsa, jar)).isTrue();
        FileTime written = Files.getLastModifiedTime(jsa);

        // 3. a run on the archive, killed with SIGKILL (the script has become the Java process)
        try (AppProcess third = AppProcess.start(run, home, data, Map.of("JAVA_OPTS", "-Xshare:on"), log)) {
            third.awaitReady(Duration.ofSeconds(90));
            assertThat(javaOf(third).pid()).isEqualTo(third.pid());
            third.kill();
        }

        // 4. the restart after the kill maps the same archive and has the data, within 10 s
        try (AppProcess fourth = AppProcess.start(run, home, data, Map.of("JAVA_OPTS", "-Xshare:on"), log)) {
            Duration ready = fourth.awaitReady(Duration.ofSeconds(10));
            System.out.printf("./run restart after SIGKILL, with its CDS archive: ready %d ms after launch "
                    + "(first run's kill %s the archive dump)%n", ready.toMillis(), caughtDuringDump ? "interrupted" : "missed");
            assertThat(ready).isLessThan(Duration.ofSeconds(10));
            assertThat(new Api(fourth.base()).login("run-user", "run-password").get("/api/tasks/" + taskId).json()
                    .get("title").asText()).isEqualTo("kept through ./run");
        }
        assertThat(Files.getLastModifiedTime(jsa)).isEqualTo(written);
        assertThat(mapsArchive(jsa, jar)).isTrue();
        assertThat(Files.readString(log)).doesNotContain("falling back").doesNotContain("A fatal error");
    }

    /** Copies ./run and the packaged jar into {@code home}, with sources older than the jar. */
    private static Path layout(Path repo, Path home) throws IOException {
        Path jar = home.resolve("app/target/todo-app.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(repo.resolve("app/target/todo-app.jar"), jar);
        Files.copy(repo.resolve("run"), home.resolve("run"));
        Files.writeString(home.resolve("mvnw"), "#!/bin/sh\necho './run tried to build in a test' >&2\nexit 1\n");
        Files.setPosixFilePermissions(home.resolve("mvnw"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(home.resolve("app/src"));
        Files.writeString(home.resolve("app/pom.xml"), "");
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(home.resolve("app/src"), old);
        Files.setLastModifiedTime(home.resolve("app/pom.xml"), old);
        return jar;
    }

    private static ProcessHandle javaOf(AppProcess app) {
        ProcessHandle script = app.process().toHandle();
        if (script.info().command().orElse("").endsWith("/java")) {
            return script;
        }
        return script.children().filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst()
                .orElseThrow(() -> new AssertionError("no java process under ./run"));
    }

    private static List<Path> temporaryArchives(Path home) {
        try (Stream<Path> files = Files.list(home.resolve("app/target"))) {
            return new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Whether a JVM maps the archive ({@code -Xshare:on} fails, or crashes, on a bad one). The class
     * path must read as the one that wrote it, so this runs where ./run does, with its relative path.
     */
    private static boolean mapsArchive(Path jsa, Path jar) throws Exception {
        Path home = jar.getParent().getParent().getParent();
        // the java on the PATH, as ./run uses: an archive belongs to the JVM build that wrote it
        Process p = new ProcessBuilder("java", "-Xshare:on",
                "-XX:SharedArchiveFile=" + jsa, "-XX:ErrorFile=/dev/null", "-cp", home.relativize(jar).toString(), "-version")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor() == 0;
    }
}
