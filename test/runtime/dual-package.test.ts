import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { repoRoot, runNode, tempProject } from "./helpers";

/**
 * The dual-package hazard. `import "@choragen/perf"` loads the ESM build and `require("@choragen/perf")` the
 * CommonJS one: two copies of the runtime's code in one program (an ESM application with a CommonJS
 * dependency, under the CommonJS preload `choragen perf` installs). They must keep ONE registry of contracts and
 * violations per realm and ONE journal per realm, whichever copy loads first.
 */
const project = tempProject();
after(project.cleanup);

const SPIN = `function spin(ms) { const end = performance.now() + ms; while (performance.now() < end); }`;

// The main thread loads the ESM copy first, the worker the CommonJS copy first.
writeFileSync(join(project.dir, "app.mjs"), `import { createRequire } from "node:module";
import { Worker, isMainThread } from "node:worker_threads";
${SPIN}
const require = createRequire(import.meta.url);
let perf, dep;
if (isMainThread) {
  ({ perf } = await import("@choragen/perf"));
  dep = require("./dep.cjs");
} else {
  dep = require("./dep.cjs");
  ({ perf } = await import("@choragen/perf"));
}
const esmSlow = perf.latency({ max: 1, unit: "ms" }, function esmSlow() { spin(3); });
esmSlow();
dep.cjsSlow();
const targets = (list) => list.map((v) => v.target);
console.log(JSON.stringify({
  where: isMainThread ? "main" : "worker",
  twoCopies: dep.perf !== perf,
  fromImport: targets(perf.violations()),
  fromRequire: targets(dep.perf.violations()),
  contracts: [perf.report().contracts.length, dep.perf.report().contracts.length],
}));
if (isMainThread) await new Promise((resolve) => new Worker(new URL(import.meta.url)).on("exit", resolve));
`);
writeFileSync(join(project.dir, "dep.cjs"), `"use strict";
const { perf } = require("@choragen/perf");
${SPIN}
exports.perf = perf;
exports.cjsSlow = perf.latency({ max: 1, unit: "ms" }, function cjsSlow() { spin(3); });
`);

test("an ESM program with a CommonJS dependency, under the CommonJS preload: one registry and one journal per realm", async () => {
  const report = join(project.dir, "report.json");
  const run = await runNode(["--require", join(repoRoot, "dist", "runtime", "preload.js"), "app.mjs"], {
    cwd: project.dir,
    env: { CHORAGEN_PERF_REPORT: report },
  });
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { where: string });
  const both = ["esmSlow", "cjsSlow"];
  assert.deepEqual(lines.sort((a, b) => a.where.localeCompare(b.where)), [
    { where: "main", twoCopies: true, fromImport: both, fromRequire: both, contracts: [2, 2] },
    { where: "worker", twoCopies: true, fromImport: both, fromRequire: both, contracts: [2, 2] },
  ]);

  // One journal per realm: the main thread's and the worker's, not one per copy of the code.
  const parts = readdirSync(`${report}.parts`);
  assert.equal(parts.filter((f) => f.endsWith(".jsonl")).length, 2, parts.join(", "));
  const written = JSON.parse(readFileSync(report, "utf8")) as { violations: { target: string }[]; contracts: { target: string }[] };
  assert.deepEqual(written.violations.map((v) => v.target).sort(), ["cjsSlow", "cjsSlow", "esmSlow", "esmSlow"]);
});
