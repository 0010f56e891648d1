package dev.todo.operator.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs a command-line tool the build does not ship; required in CI, skipped (with a reason) elsewhere. */
public final class ExternalTool {
  public static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

  public record Result(int exit, String output) {}

  private ExternalTool() {}

  public static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) return true;
    }
    return false;
  }

  /** Skips the test when the tool is missing, except in CI (.ci/run installs it), where it fails. */
  public static void require(String tool, String installHint) {
    if (onPath(tool)) return;
    assertThat(System.getenv("CI")).as(tool + " is missing; in CI it must be installed (" + installHint + ")").isNull();
    Assumptions.abort(tool + " is not installed (" + installHint + "); .ci/run installs it");
  }

  public static Result run(Path dir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
