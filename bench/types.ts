import type { LatencyUnit, MemoryUnit } from "../runtime/types";

/** Latency units a benchmark budget can be written in: the runtime's (runtime/units.ts). */
export type BenchLatencyUnit = LatencyUnit;
/** Heap units a benchmark budget can be written in; 1 KB = 1024 B. */
export type BenchHeapUnit = MemoryUnit;

export interface LatencyLimit {
  readonly max: number;
  readonly unit: BenchLatencyUnit;
}

export interface HeapLimit {
  readonly max: number;
  readonly unit: BenchHeapUnit;
}

/**
 * Budget of one benchmark. Same shape as `benchmarks.budgets.<name>` in `.choragen/performance.yaml`.
 * `heap` bounds the heap allocated per iteration.
 */
export interface BenchBudget {
  readonly p50?: LatencyLimit;
  readonly p75?: LatencyLimit;
  readonly p99?: LatencyLimit;
  readonly mean?: LatencyLimit;
  readonly heap?: HeapLimit;
}
