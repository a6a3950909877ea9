/**
 * Measurements pooled into one benchmark's statistics: the blocks one process measured (child.ts),
 * and the results of two or more processes (standard mode's passes, an A/B run's rounds).
 */
import { processFastTime } from "./ab/paired";
import { boundedSampleSet, quantileOfSorted } from "./statistics";
import type { BenchResult, BenchStats } from "./types";

/** What one mitata block contributes: its per-iteration samples, median and heap growth. */
export interface BlockMeasurement {
  readonly samples: readonly number[];
  readonly p50: number;
  readonly heapAvg?: number;
}

/**
 * Pools the blocks of one benchmark. A block can hold a million samples (a fast function with small
 * batches on a busy machine), so nothing here spreads an array into call arguments: that overflows
 * the stack past ~120k elements.
 */
export function poolBlocks(measured: readonly BlockMeasurement[], calibration: number): BenchStats {
  const all: number[] = [];
  for (const b of measured) for (const s of b.samples) all.push(s);
  if (all.length === 0) throw new Error("mitata returned no samples");
  all.sort((a, b) => a - b);
  let sum = 0;
  for (const s of all) sum += s;
  const heaps = measured.map((b) => b.heapAvg).filter((h): h is number => h !== undefined && Number.isFinite(h));
  const heap = heaps.length > 0 ? heaps.reduce((a, b) => a + b, 0) / heaps.length : undefined;
  return {
    ...percentiles(all),
    min: all[0]!,
    max: all[all.length - 1]!,
    mean: sum / all.length,
    samples: all.length,
    sampleSet: boundedSampleSet(all),
    blocks: measured.map((b) => b.p50),
    ...(Number.isFinite(calibration) ? { calibration } : {}),
    ...(heap === undefined ? {} : { heapPerIter: Math.max(0, heap) }),
  };
}

/** One benchmark's results from two (or more) processes, pooled. An error in either is the result. */
export function mergePasses(a: BenchResult | undefined, b: BenchResult): BenchResult {
  if (a === undefined || b.stats === undefined) return b;
  if (a.stats === undefined) return a;
  const x = a.stats;
  const y = b.stats;
  const pooled = [...x.sampleSet, ...y.sampleSet].sort((p, q) => p - q);
  const heaps = [x.heapPerIter, y.heapPerIter].filter((h): h is number => h !== undefined);
  const calibrations = [x.calibration, y.calibration].filter((c): c is number => c !== undefined);
  const stats: BenchStats = {
    ...percentiles(pooled),
    min: Math.min(x.min, y.min),
    max: Math.max(x.max, y.max),
    mean: (x.mean * x.samples + y.mean * y.samples) / (x.samples + y.samples),
    samples: x.samples + y.samples,
    sampleSet: boundedSampleSet(pooled),
    blocks: [...(x.blocks ?? []), ...(y.blocks ?? [])],
    ...(calibrations.length > 0 ? { calibration: Math.min(...calibrations) } : {}),
    ...(heaps.length > 0 ? { heapPerIter: heaps.reduce((s, h) => s + h, 0) / heaps.length } : {}),
    processes: [...(x.processes ?? [processFastTime(x)]), ...(y.processes ?? [processFastTime(y)])],
  };
  return { ...b, stats };
}

function percentiles(sorted: readonly number[]): Pick<BenchStats, "p50" | "p75" | "p99"> {
  return { p50: quantileOfSorted(sorted, 0.5), p75: quantileOfSorted(sorted, 0.75), p99: quantileOfSorted(sorted, 0.99) };
}
