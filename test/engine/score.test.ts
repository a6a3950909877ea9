import { test } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { confirmRegressions, judge } from "../../cli/engine/judge";
import { budgetSubScore, finalScore, regressionPoints, violationPoints } from "../../cli/engine/score";
import type { BaselineFile, BenchBudget, BenchResult, MachineFingerprint, PerformanceViolation, RunResults } from "../../cli/engine/types";
import { engineConfig } from "./helpers";
import { verdictWords } from "../../cli/report/words";

const machine: MachineFingerprint = { node: "v20.0.0", cpu: "Test CPU", cores: 4, arch: "x64", os: "linux 6" };

interface BenchSpec {
  readonly ns: number; // median latency
  readonly heap: number; // bytes per iteration
  readonly budgetRatio: number; // budget = ns × ratio
  readonly baselineFactor: number; // baseline median = ns × factor
  readonly metrics: readonly ("p50" | "p75" | "p99" | "mean" | "heap")[];
}

function samplesAround(ns: number): number[] {
  return Array.from({ length: 60 }, (_, i) => ns * (0.95 + (i / 59) * 0.1));
}

function resultOf(i: number, s: BenchSpec, scale = 1, heapScale = 1): BenchResult {
  const ns = s.ns * scale;
  const set = samplesAround(ns);
  const budget: Record<string, unknown> = {};
  for (const m of s.metrics) {
    budget[m] = m === "heap" ? { max: (s.heap * s.budgetRatio) / 1024, unit: "KB" } : { max: (s.ns * s.budgetRatio) / 1e3, unit: "us" };
  }
  return {
    file: "benchmarks/x.bench.ts",
    name: `b${i}`,
    id: `b${i}`,
    budget: budget as BenchBudget,
    stats: { p50: ns, p75: ns * 1.02, p99: ns * 1.05, min: ns * 0.95, max: ns * 1.05, mean: ns * 1.01, samples: set.length, sampleSet: set, blocks: [ns * 0.99, ns, ns * 1.01, ns], calibration: 500, heapPerIter: s.heap * heapScale },
  };
}

function run(results: BenchResult[], violations: PerformanceViolation[] = []): RunResults {
  return { schemaVersion: 1, createdAt: "2024-01-01T00:00:00.000Z", machine, quick: false, results, fileFailures: [], violations };
}

function baselineOf(specs: readonly BenchSpec[]): BaselineFile {
  return {
    schemaVersion: 1,
    file: "benchmarks/x.bench.ts",
    createdAt: "2024-01-01T00:00:00.000Z",
    machine,
    results: specs.map((s, i) => resultOf(i, { ...s, ns: s.ns * s.baselineFactor })),
  };
}

function violation(contractId: string, i: number): PerformanceViolation {
  return {
    contractId,
    kind: "latency",
    target: `T.${contractId}`,
    file: "src/t.ts",
    line: 3,
    measured: 10 + i,
    threshold: 5,
    unit: "ms",
    timestamp: 0,
    context: { origin: "inline", async: false, pid: 1 },
  };
}

const spec = fc.record({
  ns: fc.double({ min: 100, max: 1e8, noNaN: true }),
  heap: fc.double({ min: 1, max: 1e7, noNaN: true }),
  budgetRatio: fc.double({ min: 0.2, max: 5, noNaN: true }),
  baselineFactor: fc.double({ min: 0.5, max: 1.5, noNaN: true }),
  metrics: fc.subarray(["p50", "p75", "p99", "mean", "heap"] as const, { minLength: 0 }),
});

const scenario = fc.record({
  specs: fc.array(spec, { minLength: 1, maxLength: 5 }),
  violations: fc.array(fc.record({ contract: fc.constantFrom("a", "b", "c"), n: fc.integer({ min: 0, max: 40 }) }), { maxLength: 3 }),
  withBaseline: fc.boolean(),
});

function scoreOf(specs: readonly BenchSpec[], results: BenchResult[], violations: PerformanceViolation[], withBaseline: boolean): number {
  const baselines = withBaseline ? { source: "test", files: [baselineOf(specs)] } : undefined;
  return judge({ config: engineConfig({ regressionThreshold: 5 }), results: run(results, violations), ...(baselines ? { baselines } : {}) }).score;
}

function violationsOf(list: readonly { contract: string; n: number }[]): PerformanceViolation[] {
  return list.flatMap(({ contract, n }) => Array.from({ length: n }, (_, i) => violation(contract, i)));
}

test("score is an integer within 0–100", () => {
  fc.assert(
    fc.property(scenario, ({ specs, violations, withBaseline }) => {
      const s = scoreOf(specs, specs.map((x, i) => resultOf(i, x)), violationsOf(violations), withBaseline);
      return Number.isInteger(s) && s >= 0 && s <= 100;
    }),
  );
});

test("monotone: a slower or heavier measurement never raises the score", () => {
  fc.assert(
    fc.property(
      scenario,
      fc.nat(),
      fc.double({ min: 1, max: 10, noNaN: true }),
      fc.double({ min: 1, max: 10, noNaN: true }),
      ({ specs, violations, withBaseline }, pick, slower, heavier) => {
        const k = pick % specs.length;
        const v = violationsOf(violations);
        const before = scoreOf(specs, specs.map((x, i) => resultOf(i, x)), v, withBaseline);
        const after = scoreOf(specs, specs.map((x, i) => (i === k ? resultOf(i, x, slower, heavier) : resultOf(i, x))), v, withBaseline);
        return after <= before;
      },
    ),
    { numRuns: 300 },
  );
});

test("monotone: more violations never raise the score", () => {
  fc.assert(
    fc.property(scenario, fc.constantFrom("a", "b", "d"), fc.integer({ min: 1, max: 50 }), ({ specs, violations, withBaseline }, contract, extra) => {
      const results = specs.map((x, i) => resultOf(i, x));
      const before = scoreOf(specs, results, violationsOf(violations), withBaseline);
      const after = scoreOf(specs, results, violationsOf([...violations, { contract, n: extra }]), withBaseline);
      return after <= before;
    }),
  );
});

test("100 when every measurement is well inside its budget and nothing else is wrong", () => {
  fc.assert(
    fc.property(fc.array(spec, { minLength: 1, maxLength: 6 }), (specs) => {
      const inside = specs.map((s) => ({ ...s, budgetRatio: Math.max(2.2, s.budgetRatio) }));
      const verdict = judge({ config: engineConfig(), results: run(inside.map((x, i) => resultOf(i, x))) });
      return verdict.score === 100 && verdict.passed && verdict.deductions.length === 0;
    }),
  );
});

test("deterministic: the same input gives the same verdict", () => {
  fc.assert(
    fc.property(scenario, ({ specs, violations, withBaseline }) => {
      const input = {
        config: engineConfig({ regressionThreshold: 5 }),
        results: run(specs.map((x, i) => resultOf(i, x)), violationsOf(violations)),
        ...(withBaseline ? { baselines: { source: "t", files: [baselineOf(specs)] } } : {}),
      };
      assert.deepEqual(judge(input), judge(input));
    }),
    { numRuns: 50 },
  );
});

test("deductions add up to 100 − score and each explains itself", () => {
  fc.assert(
    fc.property(scenario, ({ specs, violations, withBaseline }) => {
      const verdict = judge({
        config: engineConfig({ regressionThreshold: 5 }),
        results: run(specs.map((x, i) => resultOf(i, x)), violationsOf(violations)),
        ...(withBaseline ? { baselines: { source: "t", files: [baselineOf(specs)] } } : {}),
      });
      const total = verdict.deductions.reduce((s, d) => s + d.points, 0);
      assert.equal(verdict.score, finalScore(total));
      for (const d of verdictWords(verdict).deductions) assert.ok(d.reason.length > 10 && d.points > 0);
    }),
    { numRuns: 100 },
  );
});

test("curve anchors: 100 at half the budget, 80 at the budget, 50 at 1.4×, falling after", () => {
  assert.equal(budgetSubScore(0.5), 100);
  assert.ok(Math.abs(budgetSubScore(1) - 80) < 0.1);
  assert.ok(Math.abs(budgetSubScore(1.4) - 50) < 0.1);
  assert.ok(budgetSubScore(2) < 20 && budgetSubScore(4) < 1);
  assert.equal(regressionPoints(10), 10);
  assert.equal(regressionPoints(100), 25);
  assert.equal(violationPoints(1), 10);
  assert.equal(violationPoints(1_000_000), 20);
});

test("a 10% regression on the same machine fails; on another machine it only warns", () => {
  const base: BenchSpec = { ns: 1000, heap: 10, budgetRatio: 10, baselineFactor: 1, metrics: [] };
  const results = [resultOf(0, base, 1.1)];
  const same = judge({ config: engineConfig({ regressionThreshold: 5 }), results: run(results), baselines: { source: "t", files: [baselineOf([base])] } });
  assert.equal(same.comparisons[0]?.verdict, "regression");
  assert.equal(same.passed, false);
  assert.ok(verdictWords(same).failures.some((f) => f.startsWith("regression: b0")));
  const other = { ...baselineOf([base]), machine: { ...machine, cpu: "Other CPU" } };
  const cross = judge({ config: engineConfig({ regressionThreshold: 5 }), results: run(results), baselines: { source: "t", files: [other] } });
  assert.equal(cross.comparisons[0]?.sameMachine, false);
  assert.equal(cross.passed, true);
  assert.ok(verdictWords(cross).warnings.some((w) => w.includes("another machine") && w.includes("Other CPU")));
});

test("the third process is asked for exactly the benches the judge would count as regressions", () => {
  const base: BenchSpec = { ns: 1000, heap: 10, budgetRatio: 10, baselineFactor: 1, metrics: [] };
  const baselines = { source: "t", files: [baselineOf([base, base, base])] };
  const results = [resultOf(0, base, 1.1), resultOf(1, base, 1.02), resultOf(2, base, 0.8)];
  const verdict = judge({ config: engineConfig({ regressionThreshold: 5 }), results: run(results), baselines });
  const pass = confirmRegressions(baselines, 5, machine);
  assert.deepEqual(verdict.comparisons.map((c) => c.verdict), ["regression", "unchanged", "improvement"]);
  assert.deepEqual(results.map((r) => pass.select(r)), [true, false, false]);
  // Not counted across machines, so not confirmed either; a bench without a baseline is new.
  assert.equal(confirmRegressions({ source: "t", files: [{ ...baselines.files[0]!, machine: { ...machine, cpu: "Other CPU" } }] }, 5, machine).select(results[0]!), false);
  assert.equal(pass.select({ ...results[0]!, id: "unknown" }), false);
});

test("an unchanged verdict against a run with few undisturbed samples says it means little", () => {
  const clean = Array.from({ length: 400 }, (_, i) => 1000 + i);
  // Five undisturbed samples, the rest on a core shared with a neighbour: the fastest 2.5% span +102%.
  const busy = [...clean.slice(0, 5), ...clean.slice(5).map((x) => x * 2)];
  const withSamples = (sampleSet: number[]): BenchResult => {
    const r = resultOf(0, { ns: 1000, heap: 1, budgetRatio: 10, baselineFactor: 1, metrics: [] });
    return { ...r, stats: { ...r.stats!, min: sampleSet[0]!, sampleSet } };
  };
  const file = (r: BenchResult): BaselineFile => ({ schemaVersion: 1, file: r.file, createdAt: "2024-01-01T00:00:00.000Z", machine, results: [r] });
  const judgeOf = (base: number[], current: number[], savedAsBaselines = false) =>
    judge({ config: engineConfig({ regressionThreshold: 5 }), results: run([withSamples(current)]), baselines: { source: "t", files: [file(withSamples(base))] }, savedAsBaselines });
  const noisy = (w: readonly string[]) => w.filter((x) => x.includes("busy machine"));

  const againstBusy = judgeOf(busy, clean);
  assert.equal(againstBusy.comparisons[0]?.verdict, "unchanged");
  assert.deepEqual(noisy(verdictWords(againstBusy).warnings), [
    "b0: unchanged, but its baseline was measured on a busy machine (its fastest 2.5% of samples spread over +102%, where a run on a quiet machine keeps them within a few percent), so a slowdown can go unseen: save the baseline again when the machine is quiet",
  ]);
  assert.match(noisy(verdictWords(judgeOf(clean, busy)).warnings)[0] ?? "", /^b0: unchanged, but this run was measured on a busy machine .*run it again/);
  assert.deepEqual(noisy(verdictWords(judgeOf(clean, clean)).warnings), []);
  // Saving: the new baseline is what matters, and "no baselines found" is what the save fixes.
  const saved = judge({ config: engineConfig(), results: run([withSamples(busy)]), baselines: { source: "t", files: [] }, savedAsBaselines: true });
  assert.deepEqual(verdictWords(saved).warnings, [
    "b0: saved as a baseline from a busy machine (its fastest 2.5% of samples spread over +102%, where a run on a quiet machine keeps them within a few percent); slowdowns can go unseen against it: save it again when the machine is quiet",
  ]);
});

test("a budget overrun fails the verdict even when the score stays above minScore", () => {
  const specs: BenchSpec[] = Array.from({ length: 5 }, () => ({ ns: 1000, heap: 1, budgetRatio: 3, baselineFactor: 1, metrics: ["p50"] }));
  specs[0] = { ...specs[0]!, budgetRatio: 0.9 };
  const verdict = judge({ config: engineConfig(), results: run(specs.map((x, i) => resultOf(i, x))) });
  assert.ok(verdict.score >= 80);
  assert.equal(verdict.passed, false);
  assert.ok(verdictWords(verdict).failures.some((f) => f.includes("b0: p50") && f.includes("over its budget")));
});
