/**
 * The engine returns facts; cli/report/words.ts writes the sentences. Reporters rely on what words.ts says its
 * sentences contain (REASON_SAYS) instead of reading them back: checked here against the sentences themselves.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BudgetCheck, Comparison, Deduction, Failure, PerformanceViolation, Warning } from "../../cli/engine/types";
import { deductionReason, failureText, REASON_SAYS, warningText } from "../../cli/report/words";

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
