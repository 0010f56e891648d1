package dev.todo.db;

import dev.todo.support.TestApp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedDatabaseTest {

    /** Both the bundled binaries and the system-binaries fallback keep data across restarts. */
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
            }
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, true, mode);
             Connection c = DriverManager.getConnection(db.ensureDatabase("keep"), EmbeddedDatabase.USER, "");
             ResultSet rs = c.createStatement().executeQuery("select body from notes")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }
}
