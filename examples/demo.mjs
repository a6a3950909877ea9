#!/usr/bin/env node
// `npm run demo`: compiles the example application with the @choragen/perf transformer, then runs
// `choragen perf` over it: the benchmarks in examples/benchmarks/ and the program examples/dist/main.js
// with contracts armed. Prints choragen's report and score, then what the demo expected.
//
//   npm run demo               full measurement (about a minute)
//   npm run demo -- --quick    few samples: a smoke run
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { deliberateBreachConfigured, demoVerdict } from "./demo-verdict.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.slice(2).includes("--quick");
const unknown = process.argv.slice(2).filter((a) => a !== "--quick");
if (unknown.length > 0) {
  console.error(`demo: unknown argument ${unknown.join(" ")} (only --quick is accepted)`);
  process.exit(2);
}

function heading(text) {
  console.log(`\n── ${text} ${"─".repeat(Math.max(3, 72 - text.length))}`);
}

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(2);
}

if (!existsSync(join(root, "dist", "cli", "main.js")) || !existsSync(join(root, "dist", "transformer", "index.js"))) {
  fail("dist/ is missing: `npm install` builds it (its prepare step runs `npm run build`); or run `npm run build`.");
}
// ts-patch loads the transformer named in examples/tsconfig.json ("@choragen/perf/transformer") from
// node_modules, as in a user's project; package self-reference does not reach it there, because ts-patch
// resolves from its own folder. So this repository needs itself in node_modules: the link npm makes for a
// `"@choragen/perf": "file:."` devDependency, made here when it is missing.
const self = join(root, "node_modules", "@choragen", "perf");
if (!existsSync(join(self, "package.json"))) {
  mkdirSync(dirname(self), { recursive: true });
  rmSync(self, { force: true }); // a dangling link left by a moved checkout
  // A junction on Windows (no privilege needed; it takes an absolute target), a relative link elsewhere, as npm makes.
  if (process.platform === "win32") symlinkSync(root, self, "junction");
  else symlinkSync(relative(dirname(self), root), self, "dir");
  console.log("linked node_modules/@choragen/perf to this repository (for examples/tsconfig.json's plugin entry)");
}

heading("1. compile examples/ with tspc (transformer in instrument mode)");
const tspc = createRequire(join(root, "package.json")).resolve("ts-patch/bin/tspc.js");
console.log("$ tspc -p examples/tsconfig.json");
// NODE_ENV=production would strip the contracts; the demo is about seeing them work.
const compiled = spawnSync(process.execPath, [tspc, "-p", join("examples", "tsconfig.json")], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, CHORAGEN_PERF_MODE: "instrument" },
});
if (compiled.status !== 0) fail(`tspc failed (exit code ${compiled.status ?? compiled.signal}).`);
console.log("examples/dist/ written");

heading("2. choragen perf: benchmarks, then the program with contracts armed");
const program = ["node", "--enable-source-maps", "examples/dist/main.js"];
const args = ["perf", ...(quick ? ["--quick"] : []), "--", ...program];
console.log(`$ choragen ${args.join(" ")}\n`);
const dir = mkdtempSync(join(tmpdir(), "choragen-demo-"));
const jsonFile = join(dir, "report.json");
let run;
let report;
try {
  run = spawnSync(process.execPath, [join(root, "bin", "choragen.js"), "perf", "--json", jsonFile, ...args.slice(1)], { cwd: root, stdio: "inherit" });
  if (existsSync(jsonFile)) report = JSON.parse(readFileSync(jsonFile, "utf8"));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

heading("3. what the demo expected");
const configured = deliberateBreachConfigured(readFileSync(join(root, ".choragen", "performance.yaml"), "utf8"));
const verdict = demoVerdict(run.status, report, configured);
for (const line of verdict.lines) console.log(line);
process.exit(verdict.exitCode);
