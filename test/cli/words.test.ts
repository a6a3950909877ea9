/**
 * The engine returns facts; cli/report/words.ts writes the sentences. Reporters rely on what words.ts says its
 * sentences contain (REASON_SAYS) instead of reading them back: checked here against the sentences themselves.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { judge } from "../../cli/engine/judge";
import type {
  AbBench,
  Baselines,
  BenchStats,
  BudgetCheck,
  Comparison,
  Deduction,
  EngineConfig,
  Failure,
  MachineFingerprint,
  PerformanceViolation,
  RunResults,
  Verdict,
  Warning,
} from "../../cli/engine/types";
import { buildReport } from "../../cli/report/model";
import { deductionReason, failureText, REASON_SAYS, verdictWords, warningText } from "../../cli/report/words";

const check: BudgetCheck = { id: "parse", file: "benchmarks/p.bench.ts", metric: "p99", measured: 3, max: 2, unit: "ms", passed: false, score: 40 };
const comparison: Comparison = {
  id: "parse",
  file: "benchmarks/p.bench.ts",
  baselineP50: 1200,
  currentP50: 1500,
  baselineMin: 1000,
  currentMin: 1300,
  changePct: 30,
  normalizedChangePct: 28.5,
  changeCi: [20, 40],
  ciConfidence: 0.9,
  pValue: 0.05,
  processCounts: [3, 3],
  verdict: "regression",
  sameMachine: true,
};
const violation: PerformanceViolation = {
  contractId: "c1",
  kind: "latency",
  target: "Parser.parse",
  file: "src/parser.ts",
  line: 12,
  measured: 7,
  threshold: 5,
  unit: "ms",
  timestamp: 0,
  context: { origin: "inline", async: false, pid: 1 },
};

const deductions: readonly Deduction[] = [
  { kind: "error", points: 25, target: "b.bench.ts", file: "b.bench.ts", line: 3, error: { kind: "file", failure: { file: "b.bench.ts", line: 3, column: 7, kind: "compile", message: "b.bench.ts:3:7 - error TS2322: no" } } },
  { kind: "error", points: 25, target: "boom", file: "c.bench.ts", error: { kind: "bench", id: "boom", file: "c.bench.ts", timedOut: false, error: "RangeError: x" } },
  { kind: "budget", points: 30, target: "parse", file: "benchmarks/p.bench.ts", check, budgetCount: 2 },
  { kind: "regression", points: 10, target: "parse", file: "benchmarks/p.bench.ts", comparison },
  { kind: "violation", points: 5, target: "Parser.parse", file: "src/parser.ts", line: 12, violation, count: 3, worst: 9 },
];

describe("verdict words", () => {
  it("say what REASON_SAYS claims (their place, their kind), so no reporter reads them back", () => {
    for (const d of deductions) {
      const reason = deductionReason(d);
      assert.equal(reason.includes(d.file ?? "\u0000"), REASON_SAYS[d.kind].place, `${d.kind}: ${reason}`);
      assert.equal(reason.startsWith(`${d.kind}:`), REASON_SAYS[d.kind].kind, `${d.kind}: ${reason}`);
    }
  });

  it("are the sentences the reports have always shown", () => {
    assert.deepEqual(deductions.map(deductionReason), [
      "b.bench.ts:3:7: does not compile: error TS2322: no",
      "boom (c.bench.ts): failed: RangeError: x",
      "parse: p99 3 ms is 150% of its 2 ms budget (sub-score 40, weight 1/2)",
      "regression: parse: fastest 1 µs → 1.3 µs (+30.0%, +28.5% against the calibration, fastest samples separated; p = 0.050 and 90% interval [+20.0%, +40.0%] over 3 + 3 processes; median 1.2 µs → 1.5 µs)",
      "Parser.parse (src/parser.ts:12): 3 latency violations, worst 9 ms against 5 ms",
    ]);
    const failures: Failure[] = [
      { kind: "score", score: 60, minScore: 80 },
      { kind: "over-budget", check },
      { kind: "regression", comparison, thresholdPct: 10 },
      { kind: "violations", total: 1, maxViolations: 0 },
    ];
    assert.deepEqual(failures.map(failureText), [
      "score 60 is below thresholds.minScore (80)",
      "parse: p99 3 ms is over its budget of 2 ms",
      `${deductionReason(deductions[3]!)}, threshold 10%`,
      "1 contract violation, more than thresholds.maxViolations (0)",
    ]);
    const warnings: Warning[] = [
      { kind: "unmatched-budget", key: "prase", suggestions: ["parse"] },
      { kind: "no-baselines", source: "working tree" },
      { kind: "regression-not-counted", comparison, why: "quick" },
    ];
    assert.deepEqual(warnings.map(warningText), [
      'benchmarks.budgets."prase" matches no benchmark, so it is not checked; did you mean "parse"?',
      "no baselines found (working tree): nothing to compare with; save some with `choragen perf:bench --save-baseline`",
      `${deductionReason(deductions[3]!).slice("regression: ".length)} looks slower, but this was a --quick run: not counted (measure without --quick to decide)`,
    ]);
  });
});

// Side by side (`--against`): every sentence the A/B comparison gives, through judge() and the report.
const abStats = (min: number): BenchStats => ({ p50: min * 1.2, p75: min * 1.3, p99: min * 2, min, max: min * 3, mean: min * 1.25, samples: 100, sampleSet: Array.from({ length: 40 }, () => min) });
const abBench = (id: string, file: string, differences: readonly number[], more: Partial<AbBench> = {}): AbBench => ({
  file,
  id,
  sides: "both",
  a: abStats(1000),
  fastA: differences.map(() => 1000),
  fastB: differences.map((d) => 1000 * Math.exp(d)),
  firsts: differences.map((_, i) => (i % 2 === 0 ? "A" : "B")),
  differences,
  stop: "settled",
  ...more,
});
const slowedBy = (pct: number, n: number): number[] => Array.from({ length: n }, (_, i) => Math.log1p(pct / 100) + (i % 3) * 0.004 - 0.004);
const noisy = [0.2, -0.15, 0.18, -0.1, 0.12, 0.05, -0.08, 0.22, 0.1, -0.05];
const abResults: RunResults = {
  schemaVersion: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  machine: { node: "v20.20.2", cpu: "Test CPU", cores: 2, arch: "x64", os: "linux 6.1" },
  quick: false,
  results: ["slow", "noisy", "few", "broken-at-ref", "fresh"].map((id) => ({ file: "benchmarks/ab.bench.ts", name: id, id, stats: abStats(id === "slow" ? 1300 : 1000) })),
  fileFailures: [],
  violations: [],
  against: {
    ref: "main",
    commit: "0123456789abcdef0123456789abcdef01234567",
    worktree: ".choragen/worktrees/main",
    changedLockfiles: ["package-lock.json"],
    benches: [
      abBench("slow", "benchmarks/ab.bench.ts", slowedBy(30, 12)),
      abBench("noisy", "benchmarks/ab.bench.ts", noisy, { stop: "time-cap" }),
      abBench("few", "benchmarks/ab.bench.ts", [0.01, 0.02], { stop: "round-cap" }),
      { file: "benchmarks/ab.bench.ts", id: "broken-at-ref", sides: "B", aError: "TypeError: x is not a function\n    at bench (ab.bench.ts:3:1)", fastA: [], fastB: [], firsts: [], stop: "failed" },
      { file: "benchmarks/ab.bench.ts", id: "gone", sides: "A", a: abStats(1000), fastA: [], fastB: [], firsts: [], stop: "one-side" },
    ],
    removedFiles: ["benchmarks/old.bench.ts"],
    wallMs: 12_345,
    processes: 24,
  },
};
const abConfig: EngineConfig = { benchmarks: { include: ["benchmarks/**/*.bench.ts"], regressionThreshold: 10 }, thresholds: { minScore: 80, maxViolations: 0 } };
const reportOf = (results: RunResults, verdict: Verdict) =>
  buildReport({ command: "perf:check", version: "0.0.0", root: "/p", configFile: null, maxViolations: 0, results, verdict, baseline: null, now: new Date(0) });

describe("side-by-side words", () => {
  const verdict = judge({ config: abConfig, results: abResults });
  const words = verdictWords(verdict);

  it("come from facts: the engine's verdict holds the numbers, not a sentence", () => {
    const failure = verdict.failures[0];
    assert.equal(failure?.kind, "paired-regression");
    if (failure?.kind !== "paired-regression") return;
    const { change, ...rest } = failure.paired;
    assert.deepEqual(rest, { id: "slow", ref: "main", commit: "0123456789abcdef0123456789abcdef01234567", refMin: 1000, currentMin: 1300, thresholdPct: 10 });
    assert.deepEqual([change.rounds, Math.round(change.changePct)], [12, 30]);
    assert.deepEqual(
      verdict.warnings.map((w) => w.kind),
      ["paired-dependencies", "paired-unsettled", "paired-unsettled", "paired-not-measured-at-ref", "paired-bench-removed", "paired-file-removed"],
    );
  });

  it("the regression: both fastest times, the ref and its commit, the change with its interval, confidence, rounds and threshold", () => {
    const regression =
      "regression: slow: 1 µs at main (0123456789ab) → 1.3 µs now (fastest); change +30.0% [+29.7%, +30.3%], 95.8% interval over 12 rounds, all above the 10% threshold";
    assert.deepEqual(words.failures, [regression]);
    assert.deepEqual(words.deductions.map((d) => d.reason), [regression]);
  });

  it("the warnings: the dependency note, a bench not measured at the ref, an unclear 'unchanged' (noisy, too few rounds), removed benches and files", () => {
    assert.deepEqual(words.warnings, [
      "package-lock.json differs from main: both sides ran with the project's node_modules, so a dependency change is not part of the comparison",
      "noisy: unchanged against main only in that the change +5.1% [-6.3%, +17.4%], 95.1% interval over 10 rounds is not clear of the 10% threshold: the machine was too noisy to tell a change of that size",
      "few: unchanged against main only in that the change +1.5% [-100.0%, +∞], 0% interval over 2 rounds is not clear of the 10% threshold: too few rounds for an interval",
      "broken-at-ref (benchmarks/ab.bench.ts): not compared with main: it could not be measured there (TypeError: x is not a function)",
      "gone (benchmarks/ab.bench.ts): removed since main (it exists there only): not compared",
      "benchmarks/old.bench.ts: bench file removed since main: not compared",
    ]);
  });

  it("why sampling stopped, for each way it can stop", () => {
    const report = reportOf(abResults, verdict);
    assert.deepEqual(
      report.against?.benches.map((b) => `${b.id}: ${b.stopText}`),
      [
        "slow: stopped early: the interval was clear of the threshold",
        "noisy: stopped at the time budget (2.6× today's perf:bench measuring time) with the interval still across the threshold",
        "few: stopped at the cap of 40 rounds with the interval still across the threshold",
        "broken-at-ref: stopped: the bench failed on one side",
        "gone: measured on one side only",
      ],
    );
    assert.equal(report.against?.dependencyNote, "package-lock.json differs from main: both sides ran with the project's node_modules, so a dependency change is not part of the comparison");
  });
});

describe("machine words", () => {
  it("a baseline from another machine: each field that differs, and this run's machine", () => {
    const base: MachineFingerprint = { node: "v18.0.0", cpu: "Old CPU", cores: 8, arch: "arm64", os: "darwin 23.0" };
    const results: RunResults = { ...abResults, against: undefined as never, results: [{ file: "benchmarks/ab.bench.ts", name: "slow", id: "slow", stats: abStats(1000) }] };
    delete (results as { against?: unknown }).against;
    const baselines: Baselines = {
      source: "working tree",
      files: [{ schemaVersion: 1, file: "benchmarks/ab.bench.ts", createdAt: "2026-01-01T00:00:00.000Z", machine: base, results: [{ file: "benchmarks/ab.bench.ts", name: "slow", id: "slow", stats: abStats(1000) }] }],
    };
    const verdict = judge({ config: abConfig, results, baselines });
    const warning = verdict.warnings[0];
    assert.deepEqual(warning?.kind === "baseline-other-machine" ? warning.differences : undefined, [
      { field: "cpu", a: "Old CPU", b: "Test CPU" },
      { field: "cores", a: 8, b: 2 },
      { field: "arch", a: "arm64", b: "x64" },
      { field: "node", a: "v18.0.0", b: "v20.20.2" },
      { field: "os", a: "darwin 23.0", b: "linux 6.1" },
    ]);
    assert.deepEqual(verdictWords(verdict).warnings, [
      'baseline of benchmarks/ab.bench.ts was recorded on another machine (CPU "Old CPU" vs "Test CPU", 8 vs 2 cores, arch arm64 vs x64, node v18.0.0 vs v20.20.2, OS darwin 23.0 vs linux 6.1); this run: Test CPU ×2, x64, linux 6.1, node v20.20.2. Timings are not comparable across machines: regressions are shown but not counted. Save baselines on the machine that checks them (e.g. in CI).',
    ]);
    // The OS kernel's version alone does not make timings incomparable.
    const sameButKernel = { ...base, ...abResults.machine, os: "linux 6.8" };
    const kernelOnly = { ...baselines, files: baselines.files.map((f) => ({ ...f, machine: sameButKernel })) };
    assert.deepEqual(verdictWords(judge({ config: abConfig, results, baselines: kernelOnly })).warnings, []);
  });
});
