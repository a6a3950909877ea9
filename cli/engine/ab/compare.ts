/**
 * Comparisons of an A/B run (`--against`): each bench of the working tree judged on its paired
 * rounds against the ref. Pure: `perf:check` re-judges the stored rounds with today's threshold.
 */
import type { AbBench, AgainstRun, BenchResult, Comparison } from "../types";
import { formatNs } from "../units";
import { decidePaired, type PairedDecision } from "./paired";
import { AB_MAX_ROUNDS } from "./schedule";

const round2 = (x: number): number => Number(x.toFixed(2));
const signedPct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${x.toFixed(1)}%` : x > 0 ? "+∞" : "−∞");

/** Per round, the paired difference the verdict is computed on (rounds are independent processes). */
export function pairedDifferences(bench: AbBench): number[] {
  if (bench.differences !== undefined) return [...bench.differences];
  return bench.fastA.map((a, i) => Math.log(bench.fastB[i]! / a));
}

export function decideBench(bench: AbBench, thresholdPct: number): PairedDecision {
  return decidePaired(pairedDifferences(bench), thresholdPct);
}

/** "+10.2% [+8.9%, +11.6%]", the interval as shown everywhere. */
export function describeInterval(decision: Pick<PairedDecision, "changePct" | "lowPct" | "highPct">): string {
  return `${signedPct(decision.changePct)} [${signedPct(decision.lowPct)}, ${signedPct(decision.highPct)}]`;
}

const STOPS: Readonly<Record<AbBench["stop"], string>> = {
  settled: "stopped early: the interval was clear of the threshold",
  "time-cap": "stopped at the time budget (twice today's perf:bench) with the interval still across the threshold",
  "round-cap": `stopped at the cap of ${AB_MAX_ROUNDS} rounds with the interval still across the threshold`,
  failed: "stopped: the bench failed on one side",
  "one-side": "measured on one side only",
};

export function describeStop(bench: AbBench): string {
  return STOPS[bench.stop];
}

export interface AgainstComparisons {
  readonly comparisons: Comparison[];
  readonly warnings: string[];
  /** "regression: …" lines for the failures and deductions of the judge. */
  readonly regressions: { readonly comparison: Comparison; readonly what: string }[];
}

export function compareAgainst(results: readonly BenchResult[], against: AgainstRun, thresholdPct: number): AgainstComparisons {
  const comparisons: Comparison[] = [];
  const warnings: string[] = [];
  const regressions: { comparison: Comparison; what: string }[] = [];
  const short = `${against.ref} (${against.commit.slice(0, 12)})`;
  if (against.dependencyNote !== undefined) warnings.push(against.dependencyNote);
  for (const r of results) {
    if (r.stats === undefined) continue;
    const bench = against.benches.find((b) => b.file === r.file && b.id === r.id);
    const fresh = { id: r.id, file: r.file, currentP50: r.stats.p50, currentMin: r.stats.min, changePct: 0, pValue: 1, sameMachine: true } as const;
    if ((bench === undefined || bench.sides === "B") && bench?.aError === undefined) {
      comparisons.push({ ...fresh, verdict: "new" });
      continue;
    }
    // The file exists at the ref but did not compile or load there, or the bench failed there: not new, not compared.
    if (bench === undefined || bench.fastA.length === 0 || bench.a === undefined) {
      comparisons.push({ ...fresh, verdict: "new" });
      warnings.push(`${r.id} (${r.file}): not compared with ${against.ref}: it could not be measured there (${(bench.aError ?? "no measurement").split("\n", 1)[0]})`);
      continue;
    }
    const decision = decideBench(bench, thresholdPct);
    const finite = Number.isFinite(decision.lowPct) && Number.isFinite(decision.highPct) && decision.lowPct > -100;
    const comparison: Comparison = {
      id: r.id,
      file: r.file,
      baselineP50: bench.a.p50,
      currentP50: r.stats.p50,
      baselineMin: bench.a.min,
      currentMin: r.stats.min,
      changePct: round2(decision.changePct),
      ...(finite ? { changeCi: [round2(decision.lowPct), round2(decision.highPct)] as const } : {}),
      pValue: decision.pValue,
      verdict: decision.verdict,
      sameMachine: true,
      paired: { ref: against.ref, rounds: decision.rounds, confidence: decision.confidence, stop: bench.stop },
    };
    comparisons.push(comparison);
    const interval = `${describeInterval(decision)}, ${Math.round(decision.confidence * 1000) / 10}% interval over ${decision.rounds} round${decision.rounds === 1 ? "" : "s"}`;
    if (decision.verdict === "regression") {
      regressions.push({
        comparison,
        what: `${r.id}: ${formatNs(bench.a.min)} at ${short} → ${formatNs(r.stats.min)} now (fastest); change ${interval}, all above the ${thresholdPct}% threshold`,
      });
    } else if (decision.verdict === "unchanged" && !decision.settled) {
      warnings.push(
        `${r.id}: unchanged against ${against.ref} only in that the change ${interval} is not clear of the ${thresholdPct}% threshold: ${decision.confidence === 0 ? "too few rounds for an interval" : "the machine was too noisy to tell a change of that size"}`,
      );
    }
  }
  for (const b of against.benches.filter((x) => x.sides === "A")) warnings.push(`${b.id} (${b.file}): removed since ${against.ref} (it exists there only): not compared`);
  for (const f of against.removedFiles) warnings.push(`${f}: bench file removed since ${against.ref}: not compared`);
  return { comparisons, warnings, regressions };
}
