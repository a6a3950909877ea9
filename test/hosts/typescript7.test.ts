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
  // The plain-tsc route (docs/toolchains.md): ts-patch 4 installed beside TypeScript 7, and two folders built by it,
  // the annotated app and the same app written without annotations.
  fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, "node_modules", "ts-patch4")), path.join(modules, "ts-patch"), "dir");
  for (const [folder, fixture] of [["app", "annotated"], ["plain", "plain"]] as const) {
    fs.cpSync(path.join(REPO_ROOT, "test", "fixtures", "hosts", fixture, "src"), path.join(project.dir, folder, "src"), { recursive: true });
    project.write(`${folder}/tsconfig.json`, JSON.stringify({ compilerOptions: { target: "ES2022", module: "node16", strict: true, skipLibCheck: true, types: [], rootDir: "src", outDir: "dist" }, include: ["src"] }, null, 2));
    project.write(`${folder}/tsconfig.emit.json`, JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { plugins: [{ transform: "@choragen/perf/transformer" }] } }, null, 2));
  }
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

/** `tspc` on TypeScript 6, as the README's TypeScript 7 row says: ts-patch 4 compiles with the TypeScript TSP_COMPILER_TS_PATH names. */
function tspc(folder: string, env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return project.node([path.join("node_modules", "ts-patch", "bin", "tspc.js"), "-p", `${folder}/tsconfig.emit.json`], {
    TSP_COMPILER_TS_PATH: "node_modules/typescript6",
    TSP_CACHE_DIR: path.join(project.dir, ".tsp-cache"),
    ...env,
  });
}

test("plain tsc on TypeScript 7: tsc type-checks, tspc on TypeScript 6 emits with inlined probes, and the program records each violation at its TypeScript file and line", async () => {
  const version = await project.node([path.join("node_modules", "ts-patch", "bin", "tspc.js"), "--version"], { TSP_COMPILER_TS_PATH: "node_modules/typescript6", TSP_CACHE_DIR: path.join(project.dir, ".tsp-cache") });
  assert.match(version.stdout, /Version 6\./, `tspc compiles with TypeScript 6: ${version.stdout}${version.stderr}`);
  const check = await project.node([path.join("node_modules", "typescript", "bin", "tsc"), "-p", "app/tsconfig.json", "--noEmit"]);
  assert.equal(check.status, 0, `TypeScript 7 type-checks the annotated source:\n${check.stdout}${check.stderr}`);
  const build = await tspc("app");
  assert.equal(build.status, 0, `${build.stdout}${build.stderr}`);
  assert.match(project.read("app/dist/service.js"), /require\("@choragen\/perf\/probe"\)/, "probes inlined by the transformer");
  const run = await project.node(["app/dist/main.js"]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [
    ["latency", "OrderService.fetchOrder", "app/src/service.ts", 16],
    ["latency", "OrderService.placeOrder", "app/src/service.ts", 9],
    ["latency", "parse", "app/src/service.ts", 29],
    ["latency", "report", "app/src/service.ts", 24],
    ["memory", "OrderService.fetchOrder", "app/src/service.ts", 15],
  ]);
});

test("plain tsc on TypeScript 7, NODE_ENV=production: the build is byte-identical to the unannotated app's, by tspc and by TypeScript 7's own tsc", async () => {
  fs.rmSync(path.join(project.dir, "app", "dist"), { recursive: true, force: true });
  const stripped = await tspc("app", { NODE_ENV: "production" });
  assert.equal(stripped.status, 0, `${stripped.stdout}${stripped.stderr}`);
  const plain = await tspc("plain", { NODE_ENV: "production" });
  assert.equal(plain.status, 0, `${plain.stdout}${plain.stderr}`);
  const native = await project.node([path.join("node_modules", "typescript", "bin", "tsc"), "-p", "plain/tsconfig.json", "--outDir", "plain/dist7"]);
  assert.equal(native.status, 0, `${native.stdout}${native.stderr}`);
  for (const file of ["service.js", "prod.js"]) {
    const built = project.readBytes(`app/dist/${file}`);
    assert.doesNotMatch(built.toString(), /@choragen\/perf|__perf/);
    assert.ok(built.equals(project.readBytes(`plain/dist/${file}`)), `${file}: stripped = plain, both by tspc on TypeScript 6`);
    assert.ok(built.equals(project.readBytes(`plain/dist7/${file}`)), `${file}: stripped = plain built by TypeScript 7's tsc`);
  }
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
