import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/project";
import { HostProject } from "../hosts/support";

const BIN = path.join(REPO_ROOT, "bin", "choragen.js");
const TSCONFIG = `{
  // the transformer entry, as the README says for tspc
  "compilerOptions": { "plugins": [{ "transform": "@choragen/perf/transformer" }] }
}
`;

function storedProject(typescript: "typescript" | "typescript7"): HostProject {
  const project = new HostProject("ignored-plugin");
  project.copy("../cli/stored");
  project.write("tsconfig.json", TSCONFIG);
  const link = path.join(project.dir, "node_modules", "typescript");
  fs.rmSync(link, { force: true });
  fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, "node_modules", typescript)), link, "dir");
  return project;
}

test("perf:check warns when tsconfig names the transformer and the project's TypeScript is 7 (which ignores plugins)", async () => {
  const project = storedProject("typescript7");
  try {
    const run = await project.node([BIN, "perf:check", "--reporter", "json"]);
    const report = JSON.parse(run.stdout) as { warnings: string[] };
    assert.ok(report.warnings.some((w) => /names @choragen\/perf\/transformer in "plugins", but the project's TypeScript is 7, which runs no transformer plugins/.test(w)), report.warnings.join("\n"));
  } finally {
    project.remove();
  }
});

test("no such warning on TypeScript 5/6 when nothing ran the fallback", async () => {
  const project = storedProject("typescript");
  try {
    const run = await project.node([BIN, "perf:check", "--reporter", "json"]);
    const report = JSON.parse(run.stdout) as { warnings: string[] };
    assert.ok(!report.warnings.some((w) => /plugins/.test(w)), report.warnings.join("\n"));
  } finally {
    project.remove();
  }
});

test("choragen perf -- <program>: a program that ran runtime decorators under a tsconfig naming the transformer is reported", async () => {
  const project = storedProject("typescript");
  try {
    project.write("package.json", JSON.stringify({ name: "fixture", private: true, type: "commonjs" }));
    project.write(".choragen/performance.yaml", "benchmarks:\n  enabled: false\n");
    // What plain tsc emits for a decorated method (experimentalDecorators): the runtime decorator runs.
    project.write("app.js", `const { perf } = require("@choragen/perf");
class Slow { run() { const end = performance.now() + 5; while (performance.now() < end); } }
Object.defineProperty(Slow.prototype, "run", perf.latency({ max: 1, unit: "ms" })(Slow.prototype, "run", Object.getOwnPropertyDescriptor(Slow.prototype, "run")));
new Slow().run();
`);
    const run = await project.node([BIN, "perf", "--reporter", "json", "--", process.execPath, "app.js"]);
    const report = JSON.parse(run.stdout) as { warnings: string[] };
    assert.ok(report.warnings.some((w) => /the program ran runtime decorators \(Slow\.run, app\.js:3\): it was compiled without the transformer/.test(w)), `${report.warnings.join("\n")}\n${run.stderr}`);
  } finally {
    project.remove();
  }
});
