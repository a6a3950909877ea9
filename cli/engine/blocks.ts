/** The blocks of one benchmark's measurement, pooled into its statistics (child.ts measures them). */
import { boundedSampleSet } from "./statistics";
import type { BenchStats } from "./types";

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
  const at = (q: number): number => all[Math.floor(q * (all.length - 1))]!;
  let sum = 0;
  for (const s of all) sum += s;
  const heaps = measured.map((b) => b.heapAvg).filter((h): h is number => h !== undefined && Number.isFinite(h));
  const heap = heaps.length > 0 ? heaps.reduce((a, b) => a + b, 0) / heaps.length : undefined;
  return {
    p50: at(0.5),
    p75: at(0.75),
    p99: at(0.99),
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
