/**
 * The list of benchmarks a bench file declares while it loads. It lives on `globalThis` under a
 * registered symbol because the bench file may resolve `@choragen/perf/bench` to another copy of
 * this module than the runner does (installed package vs. the CLI's own); both must see one list.
 */
import type { BenchBudget } from "./types";

/** What `bench()` accepts: a function timed per call (may be async), or a mitata-style generator
 *  that does its setup and then yields the function to time. */
export type BenchFn = () => unknown;

export interface RegisteredBench {
  readonly name: string;
  readonly group?: string;
  /** `group/name` (groups nested with `/`), or `name`: what budgets, filters and baselines key on. */
  readonly id: string;
  readonly fn: BenchFn;
  budget?: BenchBudget;
}

interface Registry {
  readonly benches: RegisteredBench[];
  readonly groups: string[];
}

const key = Symbol.for("@choragen/perf/bench.registry");

export function registry(): Registry {
  const holder = globalThis as { [key]?: Registry };
  holder[key] ??= { benches: [], groups: [] };
  return holder[key];
}
