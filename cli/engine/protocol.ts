/** Messages between the runner (parent) and a bench file's child process, over node's IPC channel. */
import type { BenchBudget, BenchStats } from "./types";

export interface ChildTask {
  /** Compiled bench file to load (absolute). */
  readonly entry: string;
  /** Bench ids not to run (already measured, or the one a previous child hung or died in). */
  readonly skip: readonly string[];
  /** RegExp source and flags of `--filter`. */
  readonly filter?: { readonly source: string; readonly flags: string };
  readonly quick: boolean;
  /** How many of the benchmark's measuring blocks this process runs. */
  readonly blocks: number;
  /** One short process of an A/B round (ab/runner.ts): a shorter warmup, no calibration workload. */
  readonly ab?: boolean;
  /**
   * Side-by-side mode (ab/runner.ts): `entry` is the working tree's file (B) and `pair.entryA` the
   * ref's (A); both are loaded into this one process and their common benches measured in
   * alternating short blocks. Only the benches not in `skip` and on both sides are measured.
   */
  readonly pair?: PairTask;
}

export interface PairTask {
  readonly entryA: string;
  /** The ref's folder: the working directory while the ref's file loads (it may read fixtures by relative paths). */
  readonly rootA: string;
  /** Which side's file is loaded (and each bench warmed up) first: alternated from process to process. */
  readonly aFirst: boolean;
  /** Warmup per side and bench, ns. */
  readonly warmupNs: number;
  /** Measuring time per side and bench, ns. */
  readonly measureNs: number;
}

/** One bench measured side by side in one process (one round of ab/runner.ts). */
export interface PairedMeasurement {
  readonly id: string;
  /** Each side's samples, pooled. */
  readonly a: BenchStats;
  readonly b: BenchStats;
  /** The round's difference: the median of its sample (or block) pairs' ln(B / A). */
  readonly difference: number;
  /** How many pairs it is the median of, and of what. */
  readonly pairs: number;
  /** Alternating samples on the wall clock, on the CPU clock (calls of 1 ms and more), or mitata blocks. */
  readonly timing: "interleaved" | "interleaved-cpu" | "blocks";
}

export interface DeclaredBench {
  readonly id: string;
  readonly name: string;
  readonly group?: string;
  readonly budget?: BenchBudget;
}

export type ChildMessage =
  | { readonly type: "loaded"; readonly benches: readonly DeclaredBench[] }
  /** `side: "A"`: the ref's file failed to load (side-by-side mode). */
  | { readonly type: "load-error"; readonly message: string; readonly side?: "A" }
  | { readonly type: "start"; readonly id: string }
  | { readonly type: "done"; readonly id: string; readonly stats: BenchStats }
  | { readonly type: "error"; readonly id: string; readonly message: string }
  | { readonly type: "finished" }
  /** Side-by-side mode: the ref's benches (the "loaded" message lists the working tree's). */
  | { readonly type: "loaded-a"; readonly benches: readonly DeclaredBench[] }
  | { readonly type: "paired"; readonly measurement: PairedMeasurement };

/** Env var carrying the JSON task (argv would be visible in `ps` and is length-limited on Windows). */
export const TASK_ENV = "CHORAGEN_BENCH_TASK";
