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
}

export interface DeclaredBench {
  readonly id: string;
  readonly name: string;
  readonly group?: string;
  readonly budget?: BenchBudget;
}

export type ChildMessage =
  | { readonly type: "loaded"; readonly benches: readonly DeclaredBench[] }
  | { readonly type: "load-error"; readonly message: string }
  | { readonly type: "start"; readonly id: string }
  | { readonly type: "done"; readonly id: string; readonly stats: BenchStats }
  | { readonly type: "error"; readonly id: string; readonly message: string }
  | { readonly type: "finished" };

/** Env var carrying the JSON task (argv would be visible in `ps` and is length-limited on Windows). */
export const TASK_ENV = "CHORAGEN_BENCH_TASK";
