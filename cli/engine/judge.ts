/**
 * Judging: compare with baselines, check budgets, count violations and errors, and turn it all into
 * a 0–100 score with every point explained. Pure and deterministic (same input, same verdict).
 */
import { didYouMean } from "../../config/suggest";
import { compareAgainst } from "./ab/compare";
import { machineDifferences, machineFingerprint } from "./machine";
import { budgetSubScore, ERROR_POINTS, finalScore, regressionPoints, violationPoints } from "./score";
import { exactRankShift } from "./exact-rank";
import { decideShift, NOISY_SPREAD_PCT, undisturbedSpreadPct, type ShiftInput } from "./statistics";
import type { ContractSummary } from "../../runtime/types";
import type {
  BaselineFile,
  Baselines,
  BenchResult,
  BenchStats,
  BudgetCheck,
  BudgetMetric,
  Comparison,
  Deduction,
  Failure,
  JudgeInput,
  PerformanceViolation,
  RunResults,
  ThirdPass,
  Verdict,
  Warning,
} from "./types";
import { bytesTo, nsTo } from "./units";

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

/** The verdict as data: deductions, failures and warnings are facts; cli/report/words.ts says them. */
export function judge(input: JudgeInput): Verdict {
  const { config, results } = input;
  const deductions: Deduction[] = [];
  const failures: Failure[] = [];
  const warnings: Warning[] = [];
  if (results.quick) warnings.push({ kind: "quick-results" });

  // Errors: a benchmark that could not be measured cannot be judged, and that is a failure.
  for (const f of results.fileFailures) {
    const error = { kind: "file", failure: f } as const;
    deductions.push({ kind: "error", points: ERROR_POINTS, target: f.file, file: f.file, ...(f.line === undefined ? {} : { line: f.line }), error });
    failures.push({ kind: "error", error });
  }
  for (const r of results.results) {
    if (r.error === undefined && r.stats !== undefined) continue;
    const error = { kind: "bench", id: r.id, file: r.file, timedOut: r.timedOut === true, ...(r.error === undefined ? {} : { error: r.error }) } as const;
    deductions.push({ kind: "error", points: ERROR_POINTS, target: r.id, file: r.file, error });
    failures.push({ kind: "error", error });
  }

  warnings.push(...unmatchedBudgets(config.benchmarks.budgets ?? {}, results));
  const budgetChecks = checkBudgets(results.results);
  const budgetCount = budgetChecks.length;
  for (const c of budgetChecks) {
    if (!c.passed) failures.push({ kind: "over-budget", check: c });
    if (c.score >= 100) continue;
    deductions.push({ kind: "budget", points: (100 - c.score) / budgetCount, target: c.id, file: c.file, check: c, budgetCount });
  }

  // Side by side (--against): judged on the paired rounds, not on stored baselines.
  const paired = results.against === undefined ? undefined : compareAgainst(results.results, results.against, config.benchmarks.regressionThreshold);
  const comparisons = paired?.comparisons ?? compare(results.results, input.baselines?.files ?? [], config.benchmarks.regressionThreshold, results.machine, warnings);
  if (paired !== undefined) {
    warnings.push(...paired.warnings);
    for (const { comparison: c, paired: regression } of paired.regressions) {
      deductions.push({ kind: "regression", points: regressionPoints(c.changePct), target: c.id, file: c.file, comparison: c, paired: regression });
      failures.push({ kind: "paired-regression", comparison: c, paired: regression });
    }
  } else if (input.savedAsBaselines === true) {
    warnings.push(...noisyBaselines(results.results));
  } else {
    // A quick run's handful of samples is always spread out; it is warned about as a whole above.
    if (!results.quick) warnings.push(...hiddenByNoise(results.results, comparisons, input.baselines?.files ?? []));
    if (input.baselines !== undefined && input.baselines.files.length === 0) warnings.push({ kind: "no-baselines", source: input.baselines.source });
  }
  for (const c of paired === undefined ? comparisons : []) {
    if (c.verdict !== "regression") continue;
    if (!c.sameMachine) {
      warnings.push({ kind: "regression-not-counted", comparison: c, why: "other-machine" });
      continue;
    }
    if (results.quick) {
      // Quick runs take a handful of short samples: against a full baseline that reads as a slowdown too often.
      warnings.push({ kind: "regression-not-counted", comparison: c, why: "quick" });
      continue;
    }
    deductions.push({ kind: "regression", points: regressionPoints(c.changePct), target: c.id, file: c.file, comparison: c });
    failures.push({ kind: "regression", comparison: c, thresholdPct: config.benchmarks.regressionThreshold });
  }

  const violations = [...results.violations, ...(input.extraViolations ?? [])];
  const byContract = new Map<string, PerformanceViolation[]>();
  for (const v of violations) {
    const list = byContract.get(v.contractId);
    if (list === undefined) byContract.set(v.contractId, [v]);
    else list.push(v);
  }
  const violationCounts = countViolations(results, input.extraViolations ?? [], input.extraContracts ?? []);
  for (const [id, list] of [...byContract].sort(([a], [b]) => a.localeCompare(b))) {
    const v = list[0]!;
    const count = violationCounts[id] ?? list.length;
    // A reduce, not Math.max(...list): a merged report can hold more violations than the stack has room for arguments.
    const worst = list.reduce((m, x) => Math.max(m, x.measured), Number.NEGATIVE_INFINITY);
    deductions.push({ kind: "violation", points: violationPoints(count), target: v.target, file: v.file, line: v.line, violation: v, count, worst });
  }
  const violationTotal = Object.values(violationCounts).reduce((sum, n) => sum + n, 0);
  if (violationTotal > config.thresholds.maxViolations) {
    failures.push({ kind: "violations", total: violationTotal, maxViolations: config.thresholds.maxViolations });
  }

  // Points are shown to 2 decimals; the score is computed from the shown points so they add up.
  const shown = deductions.map((d) => ({ ...d, points: round(d.points) })).filter((d) => d.points > 0);
  const score = finalScore(shown.reduce((sum, d) => sum + d.points, 0));
  if (score < config.thresholds.minScore) failures.unshift({ kind: "score", score, minScore: config.thresholds.minScore });
  return {
    score,
    passed: failures.length === 0,
    minScore: config.thresholds.minScore,
    deductions: shown,
    comparisons,
    budgetChecks,
    violationCounts,
    violationTotal,
    violations,
    failures,
    warnings,
  };
}

export function checkBudgets(results: readonly BenchResult[]): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  for (const r of results) {
    if (r.stats === undefined || r.budget === undefined) continue;
    const s = r.stats;
    for (const metric of ["p50", "p75", "p99", "mean"] as const satisfies readonly BudgetMetric[]) {
      const limit = r.budget[metric];
      if (limit === undefined) continue;
      checks.push(check(r, metric, nsTo(limit.unit, s[metric]), limit.max, limit.unit));
    }
    const heap = r.budget.heap;
    if (heap !== undefined) {
      if (s.heapPerIter === undefined) continue;
      checks.push(check(r, "heap", bytesTo(heap.unit, s.heapPerIter), heap.max, heap.unit));
    }
  }
  return checks;
}

function check(r: BenchResult, metric: BudgetMetric, measured: number, max: number, unit: string): BudgetCheck {
  return { id: r.id, file: r.file, metric, measured, max, unit, passed: measured <= max, score: budgetSubScore(measured / max) };
}

function compare(
  current: readonly BenchResult[],
  baselines: readonly BaselineFile[],
  thresholdPct: number,
  machine: JudgeInput["results"]["machine"],
  warnings: Warning[],
): Comparison[] {
  const byFile = new Map(baselines.map((b) => [b.file, b]));
  const warnedFiles = new Set<string>();
  const comparisons: Comparison[] = [];
  for (const r of current) {
    if (r.stats === undefined) continue;
    const baseFile = byFile.get(r.file);
    const base = baseFile?.results.find((b) => b.id === r.id)?.stats;
    if (baseFile === undefined || base === undefined) {
      comparisons.push({ id: r.id, file: r.file, currentP50: r.stats.p50, currentMin: r.stats.min, changePct: 0, pValue: 1, verdict: "new", sameMachine: true });
      continue;
    }
    const diffs = machineDifferences(baseFile.machine, machine);
    if (diffs.length > 0 && !warnedFiles.has(r.file)) {
      warnedFiles.add(r.file);
      warnings.push({ kind: "baseline-other-machine", file: r.file, differences: diffs, machine });
    }
    const decision = decideShift(shiftInput(base), shiftInput(r.stats), thresholdPct);
    // The p-value and interval on what is independent: each side's processes (fresh JIT, fresh moment).
    const exact = base.processes !== undefined && r.stats.processes !== undefined ? exactRankShift(base.processes, r.stats.processes) : undefined;
    const pct = (x: number): number => round((Math.exp(x) - 1) * 100);
    comparisons.push({
      id: r.id,
      file: r.file,
      baselineP50: base.p50,
      currentP50: r.stats.p50,
      baselineMin: base.min,
      currentMin: r.stats.min,
      changePct: round(decision.changePct),
      normalizedChangePct: round(decision.normalizedChangePct),
      ...(exact === undefined || exact.confidence === 0 ? {} : { changeCi: [pct(exact.low), pct(exact.high)] as const, ciConfidence: round(exact.confidence, 4) }),
      ...(exact === undefined ? {} : { pValue: decision.changePct >= 0 ? exact.pGreater : exact.pLess, processCounts: [base.processes!.length, r.stats.processes!.length] as const }),
      verdict: decision.verdict,
      sameMachine: diffs.length === 0,
    });
  }
  return comparisons;
}

/**
 * Every violation counted once, kept or not: the benches' kept ones plus those the runner left out
 * (100 kept per contract), and the program's by its runtime's own count per contract (which also
 * counts the ones past its 10 000 kept).
 */
function countViolations(results: RunResults, extra: readonly PerformanceViolation[], extraContracts: readonly ContractSummary[]): Record<string, number> {
  const counts: Record<string, number> = Object.create(null) as Record<string, number>;
  const add = (id: string, n: number): void => {
    if (n > 0) counts[id] = (counts[id] ?? 0) + n;
  };
  for (const v of results.violations) add(v.contractId, 1);
  for (const [id, n] of Object.entries(results.violationsOmittedByContract ?? {})) add(id, n);
  const programKept: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const v of extra) programKept[v.contractId] = (programKept[v.contractId] ?? 0) + 1;
  const summarised = new Map<string, number>();
  for (const c of extraContracts) summarised.set(c.contractId, (summarised.get(c.contractId) ?? 0) + c.violations);
  for (const [id, kept] of Object.entries(programKept)) add(id, Math.max(kept, summarised.get(id) ?? 0));
  for (const [id, n] of summarised) if (programKept[id] === undefined) add(id, n);
  // Results from before violationsOmittedByContract: their omitted total still counts, under no contract.
  const unattributed = (results.violationsOmitted ?? 0) - Object.values(results.violationsOmittedByContract ?? {}).reduce((s, n) => s + n, 0);
  if (unattributed > 0) add("", unattributed);
  return counts;
}

/**
 * A budget in the config whose key names no benchmark is never checked: most often a misspelt or
 * renamed bench. Only said when the run saw every bench (no --filter, no file that failed to load).
 */
function unmatchedBudgets(budgets: Readonly<Record<string, unknown>>, results: RunResults): Warning[] {
  if (results.filter !== undefined || results.fileFailures.length > 0 || results.results.length === 0) return [];
  const names = [...new Set(results.results.flatMap((r) => [r.id, r.name]))];
  return Object.keys(budgets)
    .filter((key) => !names.includes(key))
    .map((key) => ({ kind: "unmatched-budget", key, suggestions: didYouMean(key, names) }));
}

/** Baselines just saved from a run that had few undisturbed moments: every later comparison is weak. */
function noisyBaselines(results: readonly BenchResult[]): Warning[] {
  return results.flatMap((r): Warning[] => {
    const spread = r.stats === undefined ? 0 : undisturbedSpreadPct(r.stats.sampleSet);
    if (spread <= NOISY_SPREAD_PCT) return [];
    return [{ kind: "saved-busy", id: r.id, spreadPct: spread }];
  });
}

/** An "unchanged" that means little: the baseline or this run had too few undisturbed samples to show a change. */
function hiddenByNoise(results: readonly BenchResult[], comparisons: readonly Comparison[], baselines: readonly BaselineFile[]): Warning[] {
  return comparisons.flatMap((c): Warning[] => {
    if (c.verdict !== "unchanged") return [];
    const base = baselines.find((b) => b.file === c.file)?.results.find((b) => b.id === c.id)?.stats;
    const current = results.find((r) => r.file === c.file && r.id === c.id)?.stats;
    const baseSpread = base === undefined ? 0 : undisturbedSpreadPct(base.sampleSet);
    const currentSpread = current === undefined ? 0 : undisturbedSpreadPct(current.sampleSet);
    if (baseSpread > NOISY_SPREAD_PCT) return [{ kind: "unchanged-busy", id: c.id, side: "baseline", spreadPct: baseSpread }];
    if (currentSpread > NOISY_SPREAD_PCT) return [{ kind: "unchanged-busy", id: c.id, side: "run", spreadPct: currentSpread }];
    return [];
  });
}

function shiftInput(s: BenchStats): ShiftInput {
  return { min: s.min, samples: s.sampleSet, ...(s.calibration === undefined ? {} : { calibration: s.calibration }) };
}

/**
 * The benches a standard run measures in a third process before it is judged: those that, pooled
 * over two processes, would be a counted regression against a baseline from this machine. Both
 * processes of a run are sometimes slow for reasons that are not the code (docs/regressions.md); a
 * build is failed on three.
 */
export function confirmRegressions(baselines: Baselines, thresholdPct: number, machine = machineFingerprint()): ThirdPass {
  const byFile = new Map(baselines.files.filter((b) => machineDifferences(b.machine, machine).length === 0).map((b) => [b.file, b]));
  return {
    reason: "confirm-regression",
    select: (r) => {
      const base = byFile.get(r.file)?.results.find((b) => b.id === r.id)?.stats;
      return base !== undefined && r.stats !== undefined && decideShift(shiftInput(base), shiftInput(r.stats), thresholdPct).verdict === "regression";
    },
  };
}
