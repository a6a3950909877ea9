/**
 * Smoke tests of `npm run bench:self` and its pieces. They never assert a speed: only that the script runs end to
 * end and that its identity checks (strip output = plain output, one contract per annotation, no probes without
 * the plugin) hold, and that the pieces report what they read.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { compareEmitted } from "../../bench-self/emitted";
import { writeGeneratedProject } from "../../bench-self/generated-project";
import { summarizeProfile } from "../../bench-self/cpu-profile";
import { parsePhases } from "../../bench-self/tspc";

const REPO = path.resolve(__dirname, "..", "..", "..");
const SELF = path.join(REPO, "dist", "bench-self", "self.js");

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-bench-self-test-")));
}

test("bench:self --quick runs end to end, prints every section and passes its identity checks", () => {
  const run = spawnSync(process.execPath, [SELF, "--quick"], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(run.status, 0, `exit ${String(run.status)}\n${run.stdout}\n${run.stderr}`);
  for (const heading of ["probes (mitata", "strip and instrument output", "compile cost: tspc -p", "CLI start-up", "identity checks:"]) {
    assert.ok(run.stdout.includes(heading), `missing "${heading}" in:\n${run.stdout}`);
  }
  assert.match(run.stdout, /node v\d+\.\d+\.\d+/);
  assert.match(run.stdout, /load average [\d.]+ at start, [\d.]+ at end/);
  assert.match(run.stdout, /identical: yes \(24 files\)/);
  assert.match(run.stdout, /✓ instrument output registers (\d+) contracts for \1 annotations written/);
  assert.doesNotMatch(run.stdout, /✗/);
  // Every ratio is a finite number: a NaN would mean a measurement went missing.
  assert.doesNotMatch(run.stdout, /NaN|Infinity/);
});

test("bench:self rejects a bad argument with exit code 2 and a usage line, without a stack trace", () => {
  for (const args of [["--files", "many"], ["--rounds", "0"], ["--frobnicate"]]) {
    const run = spawnSync(process.execPath, [SELF, ...args], { cwd: REPO, encoding: "utf8" });
    assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, /^bench:self: .*\nusage: /);
    assert.ok(run.stderr.includes(args[0]!), run.stderr);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  }
});

test("the generator writes the same program twice: with contracts, and without any trace of them", () => {
  const dir = tempDir();
  try {
    const a = writeGeneratedProject(path.join(dir, "a"), "annotated", 40);
    const again = writeGeneratedProject(path.join(dir, "again"), "annotated", 40);
    const plain = writeGeneratedProject(path.join(dir, "plain"), "plain", 40);
    assert.deepEqual(a, again);
    assert.ok(a.annotations > 0 && a.annotatedFiles > 0, JSON.stringify(a));
    assert.equal(plain.annotations, 0);
    assert.deepEqual(plain.files, a.files);
    const text = (root: string): string[] => a.files.map((f) => fs.readFileSync(path.join(dir, root, f), "utf8"));
    assert.deepEqual(text("again"), text("a"), "same seed, same bytes");
    const annotated = text("a").join("\n");
    const written = (annotated.match(/@perf\.(latency|memory)\(/g)?.length ?? 0) + (annotated.match(/= perf\.latency\(/g)?.length ?? 0);
    assert.equal(written, a.annotations);
    for (const [i, source] of text("plain").entries()) {
      assert.doesNotMatch(source, /perf/, `${plain.files[i]!} still mentions perf`);
      // Taking the contract lines out of the annotated file gives the plain one, except where a wrapper was unwrapped.
      const stripped = text("a")[i]!.split("\n").filter((line) => !/^\s*@perf\.|perf\.startTimer|perf\.assertLatency|from "@choragen\/perf"/.test(line)).join("\n");
      assert.equal(stripped.replace(/= perf\.latency\(\{[^}]*\}, /, "= ").replace(/\n\}\);\n/, "\n};\n"), source, plain.files[i]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("compareEmitted names the first differing file and line, and counts files only one side has", () => {
  const left = new Map([
    ["a.js", Buffer.from("same\n")],
    ["b.js", Buffer.from("one\ntwo\n")],
    ["c.js", Buffer.from("only left\n")],
  ]);
  const right = new Map([
    ["a.js", Buffer.from("same\n")],
    ["b.js", Buffer.from("one\nTWO\n")],
  ]);
  const result = compareEmitted(left, right);
  assert.equal(result.identical, false);
  assert.equal(result.files, 3);
  assert.deepEqual(result.differing, ["b.js", "c.js"]);
  assert.deepEqual(result.firstDifference, { at: "b.js:2", left: "two", right: "TWO" });
  assert.deepEqual(compareEmitted(right, new Map(right)), { identical: true, files: 2, differing: [] });
});

test("parsePhases reads tsc's --extendedDiagnostics times in milliseconds", () => {
  const phases = parsePhases("Files:                         557\nCheck time:                  9.74s\ntransformTime time:          1.13s\nTotal time:                 19.99s\n");
  assert.deepEqual([...phases], [
    ["Check time", 9740],
    ["transformTime time", 1130],
    ["Total time", 19990],
  ]);
});

test("summarizeProfile charges each sample to the innermost function of ours on its stack", () => {
  const dist = path.join(REPO, "dist");
  const ours = (file: string): string => pathToFileURL(path.join(dist, file)).href;
  const frame = (functionName: string, url: string, lineNumber = 0): { functionName: string; url: string; lineNumber: number } => ({ functionName, url, lineNumber });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", ""), children: [2, 5] },
      { id: 2, callFrame: frame("emit", "file:///x/node_modules/typescript/lib/typescript.js"), children: [3] },
      { id: 3, callFrame: frame("visit", ours("transformer/file.js"), 208), children: [4] },
      { id: 4, callFrame: frame("getTypeAtLocation", "file:///x/node_modules/typescript/lib/typescript.js") },
      { id: 5, callFrame: frame("checkSourceFile", "file:///x/node_modules/typescript/lib/typescript.js") },
    ],
    samples: [4, 4, 3, 5, 5, 5],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
  };
  const summary = summarizeProfile(profile, dist);
  assert.equal(summary.totalMs, 6);
  assert.equal(summary.oursMs, 3);
  assert.deepEqual(summary.top, [{ name: "visit (transformer/file.js:209)", ms: 3, selfMs: 1 }]);
});
