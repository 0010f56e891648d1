package dev.todo.operator.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** scripts/*.sh (Minikube quick start, cluster prerequisites, e2e smoke test) parse and pass shellcheck. */
class ScriptsLintTest {
  static List<String> scripts() throws Exception {
    try (Stream<Path> s = Files.list(ExternalTool.ROOT.resolve("scripts"))) {
      return s.filter(p -> p.toString().endsWith(".sh")).map(p -> ExternalTool.ROOT.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void scriptsParse() throws Exception {
    assertThat(scripts()).contains("scripts/minikube-up.sh", "scripts/cluster-prereqs.sh", "scripts/e2e-smoke.sh");
    for (String script : scripts()) {
      var r = ExternalTool.run(ExternalTool.ROOT, List.of("bash", "-n", script), 30);
      assertThat(r.exit()).as(script + ": " + r.output()).isZero();
      assertThat(Files.isExecutable(ExternalTool.ROOT.resolve(script))).as(script + " is executable").isTrue();
    }
  }

  @Test
  void scriptsPassShellcheck() throws Exception {
    ExternalTool.require("shellcheck", "apt-get install shellcheck");
    List<String> command = new ArrayList<>(List.of("shellcheck", "--severity=style"));
    command.addAll(scripts());
    var r = ExternalTool.run(ExternalTool.ROOT, command, 60);
    assertThat(r.exit()).as(r.output()).isZero();
  }
}
