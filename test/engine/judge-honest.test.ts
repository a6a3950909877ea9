/** The numbers the judge reports are what their names say: p-values and intervals on independent values. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { judge } from "../../cli/engine/judge";
import { checkRunResults } from "../../cli/engine/validate";
import type { AgainstRun, BaselineFile, BenchResult, BenchStats, MachineFingerprint, RunResults } from "../../cli/engine/types";
import { engineConfig } from "./helpers";
import { verdictWords } from "../../cli/report/words";

const machine: MachineFingerprint = { node: "v20.0.0", cpu: "Test CPU", cores: 4, arch: "x64", os: "linux 6" };

function stats(ns: number, processes?: number[]): BenchStats {
  const set = Array.from({ length: 60 }, (_, i) => ns * (1 + i / 200));
  return { p50: ns * 1.1, p75: ns * 1.15, p99: ns * 1.2, min: ns, max: ns * 1.3, mean: ns * 1.1, samples: 60, sampleSet: set, ...(processes ? { processes } : {}) };
}
const result = (id: string, s: BenchStats): BenchResult => ({ file: "benchmarks/x.bench.ts", name: id, id, stats: s });
const run = (results: BenchResult[], against?: AgainstRun): RunResults => ({
  schemaVersion: 1,
  createdAt: "2024-01-01T00:00:00.000Z",
  machine,
  quick: false,
  results,
  fileFailures: [],
  violations: [],
  ...(against ? { against } : {}),
});

test("against a stored baseline: the p-value and interval are exact, over the processes, at the confidence they can have", () => {
  const baseline: BaselineFile = {
    schemaVersion: 1,
    file: "benchmarks/x.bench.ts",
    createdAt: "2024-01-01T00:00:00.000Z",
    machine,
    results: [result("slow", stats(1000, [1000, 1004, 998])), result("old", stats(1000))],
  };
  const verdict = judge({
    config: engineConfig({ regressionThreshold: 5 }),
    results: run([result("slow", stats(1200, [1200, 1210, 1195])), result("old", stats(1200))]),
    baselines: { source: "working tree", files: [baseline] },
  });
  const slow = verdict.comparisons.find((c) => c.id === "slow")!;
  assert.equal(slow.verdict, "regression");
  assert.ok(Math.abs(slow.pValue! - 1 / 20) < 1e-12, "3 + 3 processes, all separated: exactly 1/20");
  assert.equal(slow.ciConfidence, 0.9);
  assert.deepEqual(slow.processCounts, [3, 3]);
  assert.ok(slow.changeCi![0] > 15 && slow.changeCi![1] < 25, `interval ${String(slow.changeCi)}`);
  assert.ok(verdictWords(verdict).failures.some((f) => /fastest samples separated; p = 0\.050? and 90% interval \[\+\d/.test(f)), verdictWords(verdict).failures.join("\n"));
  assert.ok(!verdictWords(verdict).failures.some((f) => /p < 0\.001|p = 1\.8e-5/.test(f)));
  // A baseline saved before processes were kept: no p-value, no interval, and none invented.
  const old = verdict.comparisons.find((c) => c.id === "old")!;
  assert.equal(old.pValue, undefined);
  assert.equal(old.changeCi, undefined);
});

test("side by side: perf:check re-judges the stored rounds with today's threshold; a too-short run has no interval", () => {
  const rounds = (ratio: number, n: number): { fastA: number[]; fastB: number[]; firsts: ("A" | "B")[] } => ({
    fastA: Array.from({ length: n }, (_, i) => 1000 + (i % 3)),
    fastB: Array.from({ length: n }, (_, i) => (1000 + ((i + 1) % 3)) * ratio),
    firsts: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? "A" : "B")),
  });
  const against: AgainstRun = {
    ref: "main",
    commit: "a".repeat(40),
    worktree: ".choragen/cache/ab/main-0000",
    benches: [
      { file: "benchmarks/x.bench.ts", id: "eight", sides: "both", a: stats(1000), ...rounds(1.08, 8), stop: "settled" },
      { file: "benchmarks/x.bench.ts", id: "short", sides: "both", a: stats(1000), ...rounds(1.5, 3), stop: "failed" },
      { file: "benchmarks/x.bench.ts", id: "fresh", sides: "B", fastA: [], fastB: [], firsts: [], stop: "one-side" },
    ],
    removedFiles: ["benchmarks/gone.bench.ts"],
    wallMs: 1000,
    processes: 16,
  };
  const results = run([result("eight", stats(1080)), result("short", stats(1500)), result("fresh", stats(10))], against);
  const strict = judge({ config: engineConfig({ regressionThreshold: 5 }), results });
  const byId = new Map(strict.comparisons.map((c) => [c.id, c]));
  assert.equal(byId.get("eight")!.verdict, "regression");
  assert.equal(byId.get("eight")!.paired!.rounds, 8);
  assert.ok(byId.get("eight")!.changeCi![0] > 5);
  assert.equal(byId.get("short")!.verdict, "unchanged", "3 rounds give no 95% interval");
  assert.equal(byId.get("short")!.changeCi, undefined);
  assert.equal(byId.get("fresh")!.verdict, "new");
  assert.ok(verdictWords(strict).warnings.some((w) => w.includes("benchmarks/gone.bench.ts: bench file removed since main")));
  assert.equal(strict.passed, false);
  const loose = judge({ config: engineConfig({ regressionThreshold: 10 }), results });
  assert.equal(loose.comparisons.find((c) => c.id === "eight")!.verdict, "unchanged");
  assert.equal(loose.passed, true);
  // The stored rounds survive a JSON round trip and are validated when read back.
  assert.doesNotThrow(() => checkRunResults(JSON.parse(JSON.stringify(results))));
  const damaged = JSON.parse(JSON.stringify(results)) as { against: { benches: { fastB: unknown[] }[] } };
  damaged.against.benches[0]!.fastB[2] = "fast";
  assert.throws(() => checkRunResults(damaged), /against\.benches\[0\]\.fastB\[2\]: expected a number/);
  damaged.against.benches[0]!.fastB.splice(2, 1);
  assert.throws(() => checkRunResults(damaged), /as many rounds on each side/);
});
