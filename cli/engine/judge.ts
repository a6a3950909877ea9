/**
 * Judging: compare with baselines, check budgets, count violations and errors, and turn it all into
 * a 0–100 score with every point explained. Pure and deterministic (same input, same verdict).
 */
import { didYouMean, orList } from "../../config/suggest";
import { compareAgainst } from "./ab/compare";
import { failureLocation, failureSummary } from "./failure-text";
import { machineDifferences, describeMachine, machineFingerprint } from "./machine";
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
  FileFailure,
  JudgeInput,
  PerformanceViolation,
  RunResults,
  ThirdPass,
  Verdict,
} from "./types";
import { bytesTo, formatInUnit, formatNs, nsTo } from "./units";

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
// The calibrated change of a regression can be negative (a calibration that read slow is set aside).
const signedPct = (x: number): string => `${x >= 0 ? "+" : ""}${x.toFixed(1)}%`;

const FAILURE_VERBS: Readonly<Record<FileFailure["kind"], string>> = {
  compile: "does not compile",
  timeout: "timed out",
  load: "failed to load",
  crash: "crashed",
};

export function judge(input: JudgeInput): Verdict {
  const { config, results } = input;
  const deductions: Deduction[] = [];
  const failures: string[] = [];
  const warnings: string[] = [];
  if (results.quick) warnings.push("results were measured in quick mode (few samples): fine for a smoke test, not for baselines");

  // Errors: a benchmark that could not be measured cannot be judged, and that is a failure.
  for (const f of results.fileFailures) {
    const where = failureLocation(f);
    const reason = `${where}: ${FAILURE_VERBS[f.kind]}: ${failureSummary(f, where)}`;
    deductions.push({ kind: "error", points: ERROR_POINTS, target: f.file, file: f.file, ...(f.line === undefined ? {} : { line: f.line }), reason });
    failures.push(reason);
  }
  for (const r of results.results) {
    if (r.error === undefined && r.stats !== undefined) continue;
    const reason = `${r.id} (${r.file}): ${r.timedOut === true ? "timed out" : "failed"}: ${r.error ?? "no measurement"}`;
    deductions.push({ kind: "error", points: ERROR_POINTS, target: r.id, file: r.file, reason });
    failures.push(reason);
  }

  warnings.push(...unmatchedBudgets(config.benchmarks.budgets ?? {}, results));
  const budgetChecks = checkBudgets(results.results);
  const budgetCount = budgetChecks.length;
  for (const c of budgetChecks) {
    if (!c.passed) failures.push(`${c.id}: ${c.metric} ${formatInUnit(c.measured, c.unit)} is over its budget of ${formatInUnit(c.max, c.unit)}`);
    if (c.score >= 100) continue;
    deductions.push({
      kind: "budget",
      points: (100 - c.score) / budgetCount,
      target: c.id,
      file: c.file,
      reason: `${c.id}: ${c.metric} ${formatInUnit(c.measured, c.unit)} is ${Math.round((c.measured / c.max) * 100)}% of its ${formatInUnit(c.max, c.unit)} budget (sub-score ${Math.round(c.score)}, weight 1/${budgetCount})`,
    });
  }

  // Side by side (--against): judged on the paired rounds, not on stored baselines.
  const paired = results.against === undefined ? undefined : compareAgainst(results.results, results.against, config.benchmarks.regressionThreshold);
  const comparisons = paired?.comparisons ?? compare(results.results, input.baselines?.files ?? [], config.benchmarks.regressionThreshold, results.machine, warnings);
  if (paired !== undefined) {
    warnings.push(...paired.warnings);
    for (const { comparison: c, what } of paired.regressions) {
      deductions.push({ kind: "regression", points: regressionPoints(c.changePct), target: c.id, file: c.file, reason: `regression: ${what}` });
      failures.push(`regression: ${what}`);
    }
  } else if (input.savedAsBaselines === true) {
    warnings.push(...noisyBaselines(results.results));
  } else {
    // A quick run's handful of samples is always spread out; it is warned about as a whole above.
    if (!results.quick) warnings.push(...hiddenByNoise(results.results, comparisons, input.baselines?.files ?? []));
    if (input.baselines !== undefined && input.baselines.files.length === 0) {
      warnings.push(`no baselines found (${input.baselines.source}): nothing to compare with; save some with \`choragen perf:bench --save-baseline\``);
    }
  }
  for (const c of paired === undefined ? comparisons : []) {
    if (c.verdict !== "regression") continue;
    const what = `${c.id}: fastest ${formatNs(c.baselineMin ?? 0)} → ${formatNs(c.currentMin)} (${signedPct(c.changePct)}, ${signedPct(c.normalizedChangePct ?? c.changePct)} against the calibration, fastest samples separated${processLevel(c)}; median ${formatNs(c.baselineP50 ?? 0)} → ${formatNs(c.currentP50)})`;
    if (!c.sameMachine) {
      warnings.push(`${what} looks slower, but the baseline is from another machine: not counted`);
      continue;
    }
    if (results.quick) {
      // Quick runs take a handful of short samples: against a full baseline that reads as a slowdown too often.
      warnings.push(`${what} looks slower, but this was a --quick run: not counted (measure without --quick to decide)`);
      continue;
    }
    deductions.push({ kind: "regression", points: regressionPoints(c.changePct), target: c.id, file: c.file, reason: `regression: ${what}` });
    failures.push(`regression: ${what}, threshold ${config.benchmarks.regressionThreshold}%`);
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
    deductions.push({
      kind: "violation",
      points: violationPoints(count),
      target: v.target,
      file: v.file,
      line: v.line,
      reason: `${v.target} (${v.file}:${v.line}): ${count} ${v.kind} violation${count === 1 ? "" : "s"}, worst ${formatInUnit(worst, v.unit)} against ${formatInUnit(v.threshold, v.unit)}${v.percentile === undefined ? "" : ` at p${v.percentile}`}`,
    });
  }
  const violationTotal = Object.values(violationCounts).reduce((sum, n) => sum + n, 0);
  if (violationTotal > config.thresholds.maxViolations) {
    failures.push(`${violationTotal} contract violation${violationTotal === 1 ? "" : "s"}, more than thresholds.maxViolations (${config.thresholds.maxViolations})`);
  }

  // Points are shown to 2 decimals; the score is computed from the shown points so they add up.
  const shown = deductions.map((d) => ({ ...d, points: round(d.points) })).filter((d) => d.points > 0);
  const score = finalScore(shown.reduce((sum, d) => sum + d.points, 0));
  if (score < config.thresholds.minScore) failures.unshift(`score ${score} is below thresholds.minScore (${config.thresholds.minScore})`);
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
  warnings: string[],
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
      warnings.push(
        `baseline of ${r.file} was recorded on another machine (${diffs.join(", ")}); this run: ${describeMachine(machine)}. Timings are not comparable across machines: regressions are shown but not counted. Save baselines on the machine that checks them (e.g. in CI).`,
      );
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
function unmatchedBudgets(budgets: Readonly<Record<string, unknown>>, results: RunResults): string[] {
  if (results.filter !== undefined || results.fileFailures.length > 0 || results.results.length === 0) return [];
  const names = [...new Set(results.results.flatMap((r) => [r.id, r.name]))];
  return Object.keys(budgets)
    .filter((key) => !names.includes(key))
    .map((key) => {
      const close = didYouMean(key, names);
      return `benchmarks.budgets.${JSON.stringify(key)} matches no benchmark, so it is not checked${close.length > 0 ? `; did you mean ${orList(close)}?` : ""}`;
    });
}

const spreadNote = (pct: number): string =>
  `its fastest 2.5% of samples spread over +${Math.round(pct)}%, where a run on a quiet machine keeps them within a few percent`;

/** Baselines just saved from a run that had few undisturbed moments: every later comparison is weak. */
function noisyBaselines(results: readonly BenchResult[]): string[] {
  return results.flatMap((r) => {
    const spread = r.stats === undefined ? 0 : undisturbedSpreadPct(r.stats.sampleSet);
    if (spread <= NOISY_SPREAD_PCT) return [];
    return [`${r.id}: saved as a baseline from a busy machine (${spreadNote(spread)}); slowdowns can go unseen against it: save it again when the machine is quiet`];
  });
}

/** An "unchanged" that means little: the baseline or this run had too few undisturbed samples to show a change. */
function hiddenByNoise(results: readonly BenchResult[], comparisons: readonly Comparison[], baselines: readonly BaselineFile[]): string[] {
  return comparisons.flatMap((c) => {
    if (c.verdict !== "unchanged") return [];
    const base = baselines.find((b) => b.file === c.file)?.results.find((b) => b.id === c.id)?.stats;
    const current = results.find((r) => r.file === c.file && r.id === c.id)?.stats;
    const baseSpread = base === undefined ? 0 : undisturbedSpreadPct(base.sampleSet);
    const currentSpread = current === undefined ? 0 : undisturbedSpreadPct(current.sampleSet);
    if (baseSpread > NOISY_SPREAD_PCT) {
      return [`${c.id}: unchanged, but its baseline was measured on a busy machine (${spreadNote(baseSpread)}), so a slowdown can go unseen: save the baseline again when the machine is quiet`];
    }
    if (currentSpread > NOISY_SPREAD_PCT) {
      return [`${c.id}: unchanged, but this run was measured on a busy machine (${spreadNote(currentSpread)}), so a slowdown can go unseen: run it again when the machine is quiet`];
    }
    return [];
  });
}

/** "; p = 0.05 and 90% interval [+3.1%, +9.8%] over 3 + 3 processes", or nothing for baselines saved without them. */
function processLevel(c: Comparison): string {
  if (c.pValue === undefined || c.processCounts === undefined) return "";
  const interval = c.changeCi === undefined || c.ciConfidence === undefined ? "" : ` and ${Math.round(c.ciConfidence * 1000) / 10}% interval [${signedPct(c.changeCi[0])}, ${signedPct(c.changeCi[1])}]`;
  return `; p = ${c.pValue.toPrecision(2)}${interval} over ${c.processCounts[0]} + ${c.processCounts[1]} processes`;
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
    reason: "slower than its baseline, confirming",
    select: (r) => {
      const base = byFile.get(r.file)?.results.find((b) => b.id === r.id)?.stats;
      return base !== undefined && r.stats !== undefined && decideShift(shiftInput(base), shiftInput(r.stats), thresholdPct).verdict === "regression";
    },
  };
}
