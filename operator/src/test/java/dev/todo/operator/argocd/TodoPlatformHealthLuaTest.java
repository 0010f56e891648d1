package dev.todo.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.todo.operator.delivery.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the Argo CD health check of a TodoPlatform (config/argocd/health/...) on the fixture statuses
 * listed in its health_test.yaml, Argo CD's own test format. LuaJ is Lua 5.2 while Argo CD runs
 * gopher-lua (5.1), so the script is also checked for the 5.2-only constructs LuaJ would accept.
 */
class TodoPlatformHealthLuaTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path DIR = Path.of(System.getProperty("repo.root", ".."), "config/argocd/health/todo.dev/TodoPlatform");

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode t : YAML.readTree(DIR.resolve("health_test.yaml").toFile()).get("tests")) {
      cases.add(Arguments.of(t.get("inputPath").asText(), t.get("healthStatus").get("status").asText(),
          t.get("healthStatus").get("message").asText()));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("cases")
  void healthOfFixture(String inputPath, String status, String message) throws IOException {
    LuaValue hs = health(YAML.readTree(DIR.resolve(inputPath).toFile()));
    assertThat(hs.get("status").tojstring()).isEqualTo(status);
    assertThat(hs.get("message").tojstring()).isEqualTo(message);
  }

  /** The same fixtures on a real Lua 5.1 interpreter (Debian's lua5.1), the language Argo CD's gopher-lua speaks. */
  @ParameterizedTest(name = "{0} is {1} on Lua 5.1")
  @MethodSource("cases")
  void sameHealthOnLua51(String inputPath, String status, String message, @TempDir Path dir) throws Exception {
    ExternalTool.require("lua5.1", "apt-get install lua5.1");
    Path program = dir.resolve("check.lua");
    Files.writeString(program, "obj = " + luaLiteral(YAML.readTree(DIR.resolve(inputPath).toFile())) + "\n"
        + "local hs = (function()\n" + Files.readString(DIR.resolve("health.lua")) + "\nend)()\n"
        + "io.write(hs.status, \"\\n\", hs.message)\n");
    var r = ExternalTool.run(dir, List.of("lua5.1", program.toString()), 30);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).isEqualTo(status + "\n" + message);
  }

  /** A Lua table constructor for a JSON value (what Argo CD builds from the object). */
  static String luaLiteral(JsonNode n) {
    if (n == null || n.isNull()) return "nil";
    if (n.isObject()) {
      StringBuilder b = new StringBuilder("{");
      n.fields().forEachRemaining(e -> b.append("[").append(luaString(e.getKey())).append("]=").append(luaLiteral(e.getValue())).append(","));
      return b.append("}").toString();
    }
    if (n.isArray()) {
      StringBuilder b = new StringBuilder("{");
      n.forEach(v -> b.append(luaLiteral(v)).append(","));
      return b.append("}").toString();
    }
    if (n.isNumber() || n.isBoolean()) return n.asText();
    return luaString(n.asText());
  }

  static String luaString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  @Test
  void fixturesCoverEveryHealthAndAStaleGeneration() throws IOException {
    List<String> statuses = cases().map(a -> (String) a.get()[1]).toList();
    assertThat(statuses).contains("Healthy", "Degraded", "Progressing");
    List<String> inputs = cases().map(a -> (String) a.get()[0]).toList();
    assertThat(inputs).contains("testdata/ready-stale-generation.yaml", "testdata/degraded-stale-generation.yaml");
    try (Stream<Path> files = Files.list(DIR.resolve("testdata"))) {
      assertThat(files.map(f -> "testdata/" + f.getFileName())).as("every fixture is listed in health_test.yaml")
          .allMatch(inputs::contains);
    }
  }

  @Test
  void scriptUsesOnlyLua51Syntax() throws IOException {
    String code = Files.readString(DIR.resolve("health.lua")).replaceAll("--[^\n]*", "");
    assertThat(code).doesNotContain("goto", "::", "//", "<<", ">>", "&").doesNotMatch("(?s).*[^~=<>]~[^=].*");
  }

  @Test
  void configMapPatchCarriesTheSameScript() throws IOException {
    JsonNode cm = YAML.readTree(Path.of(System.getProperty("repo.root", ".."), "config/argocd/argocd-cm-health.yaml").toFile());
    assertThat(cm.get("data").get("resource.customizations.health.todo.dev_TodoPlatform").asText())
        .isEqualTo(Files.readString(DIR.resolve("health.lua")));
    LuaValue app = run(cm.get("data").get("resource.customizations.health.argoproj.io_Application").asText(),
        YAML.readTree("{status: {health: {status: Degraded, message: child failed}}}"));
    assertThat(app.get("status").tojstring()).isEqualTo("Degraded");
  }

  static LuaValue health(JsonNode obj) throws IOException {
    return run(Files.readString(DIR.resolve("health.lua")), obj);
  }

  /** As Argo CD does: the object becomes the global {@code obj} (numbers as floats), the chunk returns hs. */
  static LuaValue run(String script, JsonNode obj) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(obj));
    LuaValue result = globals.load(script, "health.lua").call();
    assertThat(result.istable()).as("the script returns a table").isTrue();
    return result;
  }

  static LuaValue toLua(JsonNode n) {
    if (n == null || n.isNull()) return LuaValue.NIL;
    if (n.isObject()) {
      LuaTable t = new LuaTable();
      for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) n::fields) {
        t.set(e.getKey(), toLua(e.getValue()));
      }
      return t;
    }
    if (n.isArray()) {
      LuaTable t = new LuaTable();
      for (int i = 0; i < n.size(); i++) t.set(i + 1, toLua(n.get(i)));
      return t;
    }
    if (n.isNumber()) return LuaValue.valueOf(n.asDouble());
    if (n.isBoolean()) return LuaValue.valueOf(n.asBoolean());
    return LuaValue.valueOf(n.asText());
  }
}
