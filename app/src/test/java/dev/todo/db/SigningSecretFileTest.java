package dev.todo.db;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class SigningSecretFileTest {

    @Test
    void theGeneratedSecretIsOwnerOnlyAndKept() throws Exception {
        Path dir = Files.createTempDirectory("todo-secret");
        Path file = dir.resolve("sub").resolve("jwt-secret");
        String secret = LocalDefaults.persistedSecret(file);
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LocalDefaults.persistedSecret(file)).as("read back on the next start").isEqualTo(secret);
    }
}
