package dev.todo.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code ./run} and the packaged jar copied into a temporary directory laid out like the repository
 * (for tests that run after {@code package}), so that the class-data-sharing archive and the data
 * live there. A stand-in {@code mvnw} fails loudly if the script tried to build.
 */
public final class RunLayout implements AutoCloseable {

    private final Path home;

    private RunLayout(Path home) {
        this.home = home;
    }

    public static RunLayout create(String prefix) throws IOException {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path home = TestApp.tempDir(prefix);
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
        return new RunLayout(home);
    }

    public Path home() {
        return home;
    }

    public Path jar() {
        return home.resolve("app/target/todo-app.jar");
    }

    public Path archive() {
        return home.resolve("app/target/todo-app.jsa");
    }

    /** Removes the copy of the jar and the archive (~160 MB); data and logs stay for a look. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(jar());
        Files.deleteIfExists(archive());
    }

    /** Starts {@code ./run} with its data in {@code dataDir}. */
    public AppProcess start(Path dataDir, Map<String, String> env, Path log) {
        return AppProcess.start(List.of(home.resolve("run").toString()), home, dataDir, env, log);
    }

    /** Runs the app once and stops it cleanly, so that ./run writes its archive; later runs map it. */
    public void writeArchive() throws InterruptedException {
        try (AppProcess app = start(home.resolve("archive-run-data"), Map.of(), home.resolve("archive-run.log"))) {
            app.awaitReady(Duration.ofSeconds(90));
            app.process().toHandle().destroy();
            if (app.process().waitFor() != 143 || !Files.exists(archive())) {
                throw new AssertionError("./run wrote no archive:\n" + app.logTail());
            }
        }
    }

    /** The Java process of a ./run: the script itself once it has exec'd, else its child. */
    public static ProcessHandle javaOf(AppProcess app) {
        ProcessHandle script = app.process().toHandle();
        if (script.info().command().orElse("").endsWith("/java")) {
            return script;
        }
        return script.children().filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst()
                .orElseThrow(() -> new AssertionError("no java process under ./run"));
    }

    /**
     * Whether a JVM maps the archive ({@code -Xshare:on} fails, or crashes, on a bad one). The class
     * path must read as the one that wrote it, so this runs where ./run does, with its relative path,
     * and with the java on the PATH, as ./run uses: an archive belongs to the JVM build that wrote it.
     */
    public boolean mapsArchive() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("java", "-Xshare:on", "-XX:SharedArchiveFile=" + archive(), "-XX:ErrorFile=/dev/null",
                "-cp", home.relativize(jar()).toString(), "-version")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor() == 0;
    }
}
