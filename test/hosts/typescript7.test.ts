import { test, after, before } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/project";
import { HostProject } from "./support";

/**
 * A TypeScript 7 project: `typescript` is 7.0 (no JavaScript API), and @choragen/perf is a real copy from the
 * packed tarball (not a link into this repository, whose own TypeScript 5.9 would answer every require).
 * The package's dependencies are linked as npm would hoist them, with `typescript6` (an alias of TypeScript 6)
 * among them: what the package needs to compile bench files whatever the project's TypeScript is.
 */
let project: HostProject;

before(() => {
  project = new HostProject("ts7");
  const modules = path.join(project.dir, "node_modules");
  fs.rmSync(path.join(modules, "@choragen", "perf"));
  fs.rmSync(path.join(modules, "typescript"), { force: true });
  const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", project.dir], { cwd: REPO_ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
  const copy = path.join(modules, "@choragen", "perf");
  fs.mkdirSync(copy, { recursive: true });
  execFileSync("tar", ["-xzf", path.join(project.dir, packed), "-C", copy, "--strip-components=1"]);
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of [...Object.keys(manifest.dependencies), "typescript6"]) {
    const target = path.join(modules, name);
    if (!fs.existsSync(target)) fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, "node_modules", name)), target, "dir");
  }
  fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, "node_modules", "typescript7")), path.join(modules, "typescript"), "dir");
  fs.cpSync(path.join(REPO_ROOT, "test", "fixtures", "engine", "project", "src"), path.join(project.dir, "src"), { recursive: true });
  fs.mkdirSync(path.join(project.dir, "benchmarks"));
  fs.copyFileSync(path.join(REPO_ROOT, "test", "fixtures", "engine", "project", "benchmarks", "contract.bench.ts"), path.join(project.dir, "benchmarks", "contract.bench.ts"));
  project.write("package.json", JSON.stringify({ name: "ts7-project", private: true, type: "commonjs" }));
  project.write("tsconfig.json", JSON.stringify({ compilerOptions: { target: "ES2022", module: "node16", strict: true, skipLibCheck: true, types: [] } }));
});

after(() => project.remove());

test("the project's typescript is 7, and the package is a copy that resolves it", () => {
  const version = execFileSync(process.execPath, ["-p", "require('typescript').version"], { cwd: path.join(project.dir, "node_modules", "@choragen", "perf"), encoding: "utf8" }).trim();
  assert.match(version, /^7\./);
});

test("choragen perf:bench in a TypeScript 7 project compiles the bench files and runs them with inlined contracts", async () => {
  const run = await project.node([path.join("node_modules", "@choragen", "perf", "bin", "choragen.js"), "perf:bench", "--quick", "--json", "report.json"]);
  assert.equal(run.status, 1, `exit 1 (the contract is violated on purpose), got ${String(run.status)}:\n${run.stdout}\n${run.stderr}`);
  const report = JSON.parse(project.read("report.json")) as { fileFailures: unknown[]; violations: { target: string; file: string; line: number; context: { origin: string } }[] };
  assert.deepEqual(report.fileFailures, []);
  const violation = report.violations[0];
  assert.ok(violation, "the contract in src/slow.ts was checked");
  assert.deepEqual([violation.target, violation.file, violation.line, violation.context.origin], ["Parser.parse", "src/slow.ts", 5, "inline"]);
});

test("choragen perf:bench in a project without any typescript compiles and runs the same", async () => {
  fs.rmSync(path.join(project.dir, "node_modules", "typescript"));
  fs.rmSync(path.join(project.dir, ".choragen", "cache"), { recursive: true, force: true });
  const run = await project.node([path.join("node_modules", "@choragen", "perf", "bin", "choragen.js"), "perf:bench", "--quick", "--json", "report-none.json"]);
  assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
  const report = JSON.parse(project.read("report-none.json")) as { fileFailures: unknown[]; violations: { target: string; context: { origin: string } }[] };
  assert.deepEqual(report.fileFailures, []);
  assert.deepEqual(report.violations.map((v) => [v.target, v.context.origin])[0], ["Parser.parse", "inline"]);
});
