package dev.todo.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The house rules on ownership, checked on the sources so that a change that breaks them fails here. */
class StructureTest {

    static final Path MAIN = Path.of("src/main/java/dev/todo");

    static List<Path> sources(Path under) throws IOException {
        try (Stream<Path> files = Files.walk(under)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    static List<String> offenders(Path under, Pattern pattern, java.util.function.Predicate<Path> allowed) throws IOException {
        return sources(under).stream().filter(p -> !allowed.test(p)).filter(p -> {
            try {
                return pattern.matcher(Files.readString(p)).find();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).map(p -> MAIN.relativize(p).toString()).toList();
    }

    @Test
    void onlyEventsTouchTheOutboxAndProcessedEventsTables() throws IOException {
        Pattern sql = Pattern.compile("(?i)(from|into|update|join)\\s+(outbox|processed_events)\\b");
        assertThat(offenders(MAIN, sql, p -> p.startsWith(MAIN.resolve("events")))).isEmpty();
    }

    @Test
    void recurrenceIsPureAndDependsOnNoFeature() throws IOException {
        Pattern feature = Pattern.compile("import dev\\.todo\\.(tasks|reminders|events|activity|auth|live|webhooks)\\.");
        assertThat(offenders(MAIN.resolve("recurrence"), feature, p -> false)).isEmpty();
    }

    @Test
    void controllersReadQueryStringsAndIdsThroughWeb() throws IOException {
        Pattern byHand = Pattern.compile("Integer\\.parseInt|UUID\\.fromString|getParameters\\(\\)\\.get\\(");
        assertThat(offenders(MAIN, byHand, p -> !p.getFileName().toString().endsWith("Controller.java"))).isEmpty();
    }

    @Test
    void oneBackoff() throws IOException {
        Pattern shift = Pattern.compile("\\d+L? << Math\\.min|multipliedBy\\(1L << ");
        assertThat(offenders(MAIN, shift, p -> p.getFileName().toString().equals("Backoff.java"))).isEmpty();
    }
}
