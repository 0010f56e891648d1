package dev.todo.db;

import dev.todo.support.TestApp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedDatabaseTest {

    /**
     * Both the bundled binaries and the system-binaries fallback keep data across restarts, and run
     * with the same settings (the fallback once started without the statistics' short nap time).
     */
    @ParameterizedTest
    @ValueSource(strings = {"bundled", "system"})
    void dataSurvivesARestart(String mode) throws Exception {
        if (mode.equals("system")) {
            Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/lib/postgresql")), "postgresql package not installed");
        }
        Path dir = TestApp.tempDir("todo-pg-" + mode);
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, true, mode)) {
            assertThat(db.flavour()).contains(mode.equals("bundled") ? "PostgreSQL 17" : "system");
            try (Connection c = DriverManager.getConnection(db.ensureDatabase("keep"), EmbeddedDatabase.USER, "")) {
                c.createStatement().execute("create table notes (body text)");
                c.createStatement().execute("insert into notes values ('still here')");
                for (Map.Entry<String, String> setting : EmbeddedDatabase.settings(true, c.getMetaData().getDatabaseMajorVersion()).entrySet()) {
                    try (ResultSet rs = c.createStatement().executeQuery("select current_setting('" + setting.getKey() + "')")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).as(setting.getKey()).isEqualTo(setting.getValue());
                    }
                }
            }
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, true, mode);
             Connection c = DriverManager.getConnection(db.ensureDatabase("keep"), EmbeddedDatabase.USER, "");
             ResultSet rs = c.createStatement().executeQuery("select body from notes")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }

    /** A directory in use by a running application is refused, with the owner named; the owner runs on. */
    @Test
    void aSecondApplicationOnTheSameDirectoryIsRefused() throws Exception {
        Path dir = TestApp.tempDir("todo-pg-owned");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, true, "bundled")) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(dir, true, "bundled"))
                    .hasMessageContaining("in use by another running instance")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("TODO_DATA_DIR");
            try (Connection c = DriverManager.getConnection(db.ensureDatabase("postgres"), EmbeddedDatabase.USER, "")) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }

    /** A directory that holds a cluster never gets a new, empty one of the other flavour. */
    @Test
    void aClusterIsNeverReplacedByAnEmptyOne() throws Exception {
        Path dir = TestApp.tempDir("todo-pg-keep");
        EmbeddedDatabase.start(dir, true, "bundled").close();
        assertThatThrownBy(() -> EmbeddedDatabase.start(dir, true, "system"))
                .hasMessageContaining("holds the data of the bundled PostgreSQL 17 in " + dir.resolve("pg17"))
                .hasMessageContaining("unset TODO_EMBEDDED_POSTGRES");
        try (Stream<Path> children = Files.list(dir)) {
            assertThat(children.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("pg-system-"));
        }
        // and the lock was let go: the cluster starts again as it is
        EmbeddedDatabase.start(dir, true, null).close();
    }

    /**
     * A postmaster.pid whose PID now belongs to an unrelated program (after a crash and a reboot, say)
     * would make PostgreSQL refuse to start ("is another postmaster running?"): it is cleared.
     */
    @Test
    void aStalePostmasterPidNamingAnotherProgramIsCleared() throws Exception {
        Path dir = TestApp.tempDir("todo-pg-stale");
        EmbeddedDatabase.start(dir, true, "bundled").close();
        Path cluster = dir.resolve(EmbeddedDatabase.BUNDLED_DIR);
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Files.write(cluster.resolve("postmaster.pid"), List.of(Long.toString(unrelated.pid()), cluster.toString(),
                    "1700000000", "5432", "/tmp", "localhost", "  1234567  7", "ready   "));
            try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, true, null)) {
                assertThat(db.postmasterPid()).isNotEqualTo(unrelated.pid());
                assertThat(unrelated.isAlive()).as("the unrelated program is left alone").isTrue();
            }
        } finally {
            unrelated.destroyForcibly();
        }
    }

    /**
     * A cluster that cannot start fails the start at once with PostgreSQL's reason (no 60 s wait), and
     * no empty cluster of the system binaries is created in its place.
     */
    @Test
    void aClusterThatCannotStartFailsFastWithTheReasonAndNoFallback() throws Exception {
        Path dir = TestApp.tempDir("todo-pg-broken");
        EmbeddedDatabase.start(dir, true, "bundled").close();
        Path conf = dir.resolve(EmbeddedDatabase.BUNDLED_DIR).resolve("postgresql.conf");
        Files.writeString(conf, Files.readString(conf) + "\nno_such_setting = 1\n");
        long started = System.nanoTime();
        assertThatThrownBy(() -> EmbeddedDatabase.start(dir, true, null))
                .hasMessageContaining("holds your data in " + dir.resolve("pg17"))
                .hasMessageContaining("configuration file")
                .hasMessageContaining("No new empty database")
                .hasMessageContaining("pg17.log");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(30));
        try (Stream<Path> children = Files.list(dir)) {
            assertThat(children.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("pg-system-"));
        }
        // fixed, it starts again (nothing was left locked or running)
        Files.writeString(conf, Files.readString(conf).replace("no_such_setting = 1", ""));
        EmbeddedDatabase.start(dir, true, null).close();
    }

    /**
     * The same across processes, as two instances of the application would meet: another JVM holds
     * the lock (as a running app does), this start is refused; once that process is gone, the
     * directory is free again.
     */
    @Test
    void aDirectoryLockedByAnotherProcessIsRefusedUntilThatProcessEnds() throws Exception {
        Path dir = TestApp.tempDir("todo-pg-other");
        Path locker = dir.resolve("Locker.java");
        Files.writeString(locker, """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class Locker {
                    public static void main(String[] args) throws Exception {
                        FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        c.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\\n").getBytes()));
                        c.lock();
                        System.out.println("locked");
                        Thread.sleep(120_000);
                    }
                }
                """);
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                locker.toString(), dir.resolve(DataDirectoryLock.FILE).toString()).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> EmbeddedDatabase.start(dir, true, "bundled"))
                    .hasMessageContaining("in use by another running instance")
                    .hasMessageContaining("pid " + other.pid());
        } finally {
            other.destroyForcibly();
            other.waitFor();
        }
        EmbeddedDatabase.start(dir, true, "bundled").close();
    }
}
