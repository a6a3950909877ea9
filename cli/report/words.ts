/**
 * The words of a verdict: every sentence about a deduction, a failure or a warning is written here, from the
 * facts the engine returns (cli/engine/judge.ts), the way criterion keeps its report's sentences apart from the
 * numbers it compares. Reporters never read a sentence back: what they need to know is data.
 */
import { orList } from "../../config/suggest";
import type { BenchError, Comparison, Deduction, DeductionKind, Failure, MachineDifference, MachineFingerprint, Verdict, Warning } from "../engine/types";
import { failureLocation, failureSummary } from "./failure-text";
import { pairedRegressionText, pairedWarningText } from "./paired-words";
import { formatChangePct, formatInUnit, formatNs } from "./units";

/** A deduction as reports show it (and the JSON report holds it): the facts' words in `reason`. */
export interface ReportDeduction {
  readonly kind: DeductionKind;
  readonly points: number;
  readonly target: string;
  readonly file?: string;
  readonly line?: number;
  readonly reason: string;
}

const FAILURE_VERBS: Readonly<Record<"compile" | "timeout" | "load" | "crash", string>> = {
  compile: "does not compile",
  timeout: "timed out",
  load: "failed to load",
  crash: "crashed",
};

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

function benchError(error: BenchError): string {
  if (error.kind === "file") {
    const where = failureLocation(error.failure);
    return `${where}: ${FAILURE_VERBS[error.failure.kind]}: ${failureSummary(error.failure, where)}`;
  }
  return `${error.id} (${error.file}): ${error.timedOut ? "timed out" : "failed"}: ${error.error ?? "no measurement"}`;
}

/** "; p = 0.05 and 90% interval [+3.1%, +9.8%] over 3 + 3 processes", or nothing for baselines saved without them. */
function processLevel(c: Comparison): string {
  if (c.pValue === undefined || c.processCounts === undefined) return "";
  const interval = c.changeCi === undefined || c.ciConfidence === undefined ? "" : ` and ${Math.round(c.ciConfidence * 1000) / 10}% interval [${formatChangePct(c.changeCi[0])}, ${formatChangePct(c.changeCi[1])}]`;
  return `; p = ${c.pValue.toPrecision(2)}${interval} over ${c.processCounts[0]} + ${c.processCounts[1]} processes`;
}

/** A comparison with a stored baseline that reads as a regression: what changed, by how much, how sure. */
function slower(c: Comparison): string {
  return `${c.id}: fastest ${formatNs(c.baselineMin ?? 0)} → ${formatNs(c.currentMin)} (${formatChangePct(c.changePct)}, ${formatChangePct(c.normalizedChangePct ?? c.changePct)} against the calibration, fastest samples separated${processLevel(c)}; median ${formatNs(c.baselineP50 ?? 0)} → ${formatNs(c.currentP50)})`;
}

function machineDifference(d: MachineDifference): string {
  switch (d.field) {
    case "cpu":
      return `CPU "${d.a}" vs "${d.b}"`;
    case "cores":
      return `${d.a} vs ${d.b} cores`;
    case "arch":
      return `arch ${d.a} vs ${d.b}`;
    case "node":
      return `node ${d.a} vs ${d.b}`;
    case "os":
      return `OS ${d.a} vs ${d.b}`;
  }
}

/** "Intel Xeon ×2, x64, linux 6.1.0, node v20.20.2". */
function describeMachine(m: MachineFingerprint): string {
  return `${m.cpu} ×${m.cores}, ${m.arch}, ${m.os}, node ${m.node}`;
}

const spreadNote = (pct: number): string =>
  `its fastest 2.5% of samples spread over +${Math.round(pct)}%, where a run on a quiet machine keeps them within a few percent`;

export function deductionReason(d: Deduction): string {
  switch (d.kind) {
    case "error":
      return benchError(d.error);
    case "budget": {
      const c = d.check;
      return `${c.id}: ${c.metric} ${formatInUnit(c.measured, c.unit)} is ${Math.round((c.measured / c.max) * 100)}% of its ${formatInUnit(c.max, c.unit)} budget (sub-score ${Math.round(c.score)}, weight 1/${d.budgetCount})`;
    }
    case "regression":
      return `regression: ${d.paired === undefined ? slower(d.comparison) : pairedRegressionText(d.paired)}`;
    case "violation": {
      const v = d.violation;
      return `${v.target} (${v.file}:${v.line}): ${plural(d.count, `${v.kind} violation`)}, worst ${formatInUnit(d.worst, v.unit)} against ${formatInUnit(v.threshold, v.unit)}${v.percentile === undefined ? "" : ` at p${v.percentile}`}`;
    }
  }
}

/**
 * What the sentence of a deduction of this kind already says, so a reporter that adds the place or the kind
 * does not say it twice: errors and violations name their file; regressions open with "regression:".
 */
export const REASON_SAYS: Readonly<Record<DeductionKind, { readonly place: boolean; readonly kind: boolean }>> = {
  error: { place: true, kind: false },
  violation: { place: true, kind: false },
  budget: { place: false, kind: false },
  regression: { place: false, kind: true },
};

export function failureText(f: Failure): string {
  switch (f.kind) {
    case "score":
      return `score ${f.score} is below thresholds.minScore (${f.minScore})`;
    case "error":
      return benchError(f.error);
    case "over-budget":
      return `${f.check.id}: ${f.check.metric} ${formatInUnit(f.check.measured, f.check.unit)} is over its budget of ${formatInUnit(f.check.max, f.check.unit)}`;
    case "regression":
      return `regression: ${slower(f.comparison)}, threshold ${f.thresholdPct}%`;
    case "paired-regression":
      return `regression: ${pairedRegressionText(f.paired)}`;
    case "violations":
      return `${plural(f.total, "contract violation")}, more than thresholds.maxViolations (${f.maxViolations})`;
  }
}

export function warningText(w: Warning): string {
  switch (w.kind) {
    case "quick-results":
      return "results were measured in quick mode (few samples): fine for a smoke test, not for baselines";
    case "unmatched-budget":
      return `benchmarks.budgets.${JSON.stringify(w.key)} matches no benchmark, so it is not checked${w.suggestions.length > 0 ? `; did you mean ${orList(w.suggestions)}?` : ""}`;
    case "baseline-other-machine":
      return `baseline of ${w.file} was recorded on another machine (${w.differences.map(machineDifference).join(", ")}); this run: ${describeMachine(w.machine)}. Timings are not comparable across machines: regressions are shown but not counted. Save baselines on the machine that checks them (e.g. in CI).`;
    case "regression-not-counted":
      return w.why === "other-machine"
        ? `${slower(w.comparison)} looks slower, but the baseline is from another machine: not counted`
        : `${slower(w.comparison)} looks slower, but this was a --quick run: not counted (measure without --quick to decide)`;
    case "no-baselines":
      return `no baselines found (${w.source}): nothing to compare with; save some with \`choragen perf:bench --save-baseline\``;
    case "saved-busy":
      return `${w.id}: saved as a baseline from a busy machine (${spreadNote(w.spreadPct)}); slowdowns can go unseen against it: save it again when the machine is quiet`;
    case "unchanged-busy":
      return w.side === "baseline"
        ? `${w.id}: unchanged, but its baseline was measured on a busy machine (${spreadNote(w.spreadPct)}), so a slowdown can go unseen: save the baseline again when the machine is quiet`
        : `${w.id}: unchanged, but this run was measured on a busy machine (${spreadNote(w.spreadPct)}), so a slowdown can go unseen: run it again when the machine is quiet`;
    case "paired-dependencies":
    case "paired-not-measured-at-ref":
    case "paired-unsettled":
    case "paired-bench-removed":
    case "paired-file-removed":
      return pairedWarningText(w);
  }
}

export function reportDeduction(d: Deduction): ReportDeduction {
  return {
    kind: d.kind,
    points: d.points,
    target: d.target,
    ...(d.file === undefined ? {} : { file: d.file }),
    ...(d.line === undefined ? {} : { line: d.line }),
    reason: deductionReason(d),
  };
}

/** A verdict's deductions, failures and warnings in words, as every report holds them. */
export function verdictWords(verdict: Pick<Verdict, "deductions" | "failures" | "warnings">): {
  readonly deductions: readonly ReportDeduction[];
  readonly failures: readonly string[];
  readonly warnings: readonly string[];
} {
  return { deductions: verdict.deductions.map(reportDeduction), failures: verdict.failures.map(failureText), warnings: verdict.warnings.map(warningText) };
}
