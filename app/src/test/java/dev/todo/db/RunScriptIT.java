package dev.todo.db;

import dev.todo.support.Api;
import dev.todo.support.AppProcess;
import dev.todo.support.RunLayout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
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
 * The script and the jar run from a copy laid out like the repository ({@link RunLayout}).
 */
class RunScriptIT {

    @Test
    void killedRunsComeBackWithTheirDataAndTheArchiveIsNeverLeftHalfWritten() throws Exception {
        try (RunLayout layout = RunLayout.create("todo-run")) {
            check(layout);
        }
    }

    private void check(RunLayout layout) throws Exception {
        Path home = layout.home();
        Path jsa = layout.archive();
        Path data = home.resolve("data");
        Path log = home.resolve("run.log");

        // 1. first run, no archive yet: killed while the JVM writes the archive on its way out
        String taskId;
        try (AppProcess first = layout.start(data, Map.of(), log)) {
            first.awaitReady(Duration.ofSeconds(90));
            Api user = new Api(first.base()).newUser("run-user", "run-password");
            taskId = user.createTask("{\"title\":\"kept through ./run\"}").get("id").asText();
            ProcessHandle java = RunLayout.javaOf(first);
            first.process().toHandle().destroy(); // SIGTERM to the script, which hands it on
            await(Duration.ofSeconds(30), () -> temporaryArchives(home).isEmpty() ? 0L : size(temporaryArchives(home).get(0)),
                    s -> s > 0 || !java.isAlive());
            java.destroyForcibly();
            first.process().waitFor();
        }
        assertThat(temporaryArchives(home)).as("no temporary archive left").isEmpty();
        boolean caughtDuringDump = !Files.exists(jsa);
        if (!caughtDuringDump) {
            assertThat(layout.mapsArchive()).as("an archive in place is whole").isTrue();
        }

        // 2. clean stop: the archive is written, checked and put in place
        try (AppProcess second = layout.start(data, Map.of(), log)) {
            second.awaitReady(Duration.ofSeconds(90));
            assertThat(new Api(second.base()).login("run-user", "run-password").get("/api/tasks/" + taskId).status())
                    .isEqualTo(200);
            second.process().toHandle().destroy();
            assertThat(second.process().waitFor()).isEqualTo(143);
        }
        assertThat(jsa).exists();
        assertThat(layout.mapsArchive()).isTrue();
        FileTime written = Files.getLastModifiedTime(jsa);

        // 3. a run on the archive, killed with SIGKILL (the script has become the Java process)
        try (AppProcess third = layout.start(data, Map.of("JAVA_OPTS", "-Xshare:on"), log)) {
            third.awaitReady(Duration.ofSeconds(90));
            assertThat(RunLayout.javaOf(third).pid()).isEqualTo(third.pid());
            third.kill();
        }

        // 4. the restart after the kill maps the same archive and has the data, within 10 s
        try (AppProcess fourth = layout.start(data, Map.of("JAVA_OPTS", "-Xshare:on"), log)) {
            Duration ready = fourth.awaitReady(Duration.ofSeconds(10));
            System.out.printf("./run restart after SIGKILL, with its CDS archive: ready %d ms after launch "
                    + "(first run's kill %s the archive dump)%n", ready.toMillis(), caughtDuringDump ? "interrupted" : "missed");
            assertThat(ready).isLessThan(Duration.ofSeconds(10));
            assertThat(new Api(fourth.base()).login("run-user", "run-password").get("/api/tasks/" + taskId).json()
                    .get("title").asText()).isEqualTo("kept through ./run");
        }
        assertThat(Files.getLastModifiedTime(jsa)).isEqualTo(written);
        assertThat(layout.mapsArchive()).isTrue();
        assertThat(Files.readString(log)).doesNotContain("falling back").doesNotContain("A fatal error");
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
}
