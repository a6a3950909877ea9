/**
 * Comparisons of an A/B run (`--against`): each bench of the working tree judged on its paired
 * rounds against the ref. Pure: `perf:check` re-judges the stored rounds with today's threshold.
 * Facts only: cli/report/paired-words.ts says them.
 */
import type { AbBench, AgainstRun, BenchResult, Comparison, PairedChange, PairedRegression, PairedWarning } from "../types";
import { decidePaired, type PairedDecision } from "./paired";

const round2 = (x: number): number => Number(x.toFixed(2));

/** Per round, the paired difference the verdict is computed on (rounds are independent processes). */
export function pairedDifferences(bench: AbBench): number[] {
  if (bench.differences !== undefined) return [...bench.differences];
  return bench.fastA.map((a, i) => Math.log(bench.fastB[i]! / a));
}

export function decideBench(bench: AbBench, thresholdPct: number): PairedDecision {
  return decidePaired(pairedDifferences(bench), thresholdPct);
}

export interface AgainstComparisons {
  readonly comparisons: Comparison[];
  readonly warnings: PairedWarning[];
  /** The failures and deductions of the judge. */
  readonly regressions: { readonly comparison: Comparison; readonly paired: PairedRegression }[];
}

export function compareAgainst(results: readonly BenchResult[], against: AgainstRun, thresholdPct: number): AgainstComparisons {
  const comparisons: Comparison[] = [];
  const warnings: PairedWarning[] = [];
  const regressions: { comparison: Comparison; paired: PairedRegression }[] = [];
  const { ref } = against;
  if (against.changedLockfiles !== undefined) warnings.push({ kind: "paired-dependencies", ref: against.ref, lockfiles: against.changedLockfiles });
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
      warnings.push({ kind: "paired-not-measured-at-ref", id: r.id, file: r.file, ref, ...(bench.aError === undefined ? {} : { error: bench.aError }) });
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
      paired: { ref, rounds: decision.rounds, confidence: decision.confidence, stop: bench.stop },
    };
    comparisons.push(comparison);
    const change = pairedChange(decision);
    if (decision.verdict === "regression") {
      regressions.push({
        comparison,
        paired: { id: r.id, ref, commit: against.commit, refMin: bench.a.min, currentMin: r.stats.min, change, thresholdPct },
      });
    } else if (decision.verdict === "unchanged" && !decision.settled) {
      warnings.push({ kind: "paired-unsettled", id: r.id, ref, change, thresholdPct, why: decision.confidence === 0 ? "too-few-rounds" : "noisy" });
    }
  }
  for (const b of against.benches.filter((x) => x.sides === "A")) warnings.push({ kind: "paired-bench-removed", id: b.id, file: b.file, ref });
  for (const file of against.removedFiles) warnings.push({ kind: "paired-file-removed", file, ref });
  return { comparisons, warnings, regressions };
}

/** The decision's change, unrounded: the reports round it as they show it. */
function pairedChange(d: PairedDecision): PairedChange {
  return { changePct: d.changePct, lowPct: d.lowPct, highPct: d.highPct, confidence: d.confidence, rounds: d.rounds };
}
