/**
 * `@choragen/perf/bench`: declare benchmarks in `*.bench.ts` files; `choragen perf:bench` runs them
 * (one child process per file, measured by mitata).
 *
 *   import { bench, group, do_not_optimize } from "@choragen/perf/bench";
 *   group("parse", () => {
 *     bench("1 KB", () => do_not_optimize(parse(small)), { budget: { p99: { max: 2, unit: "ms" } } });
 *     bench("1 MB", function* () { const big = load(); yield () => parse(big); }).budget({ p50: { max: 5, unit: "ms" } });
 *   });
 *
 * Budgets given here are merged with `benchmarks.budgets` from the config, metric by metric; the
 * config wins, so a team can tighten or relax a budget without editing bench files.
 */
import { registry, type BenchFn, type RegisteredBench } from "./registry";
import type { BenchBudget } from "./types";

export type { BenchBudget, LatencyLimit, HeapLimit, BenchLatencyUnit, BenchHeapUnit } from "./types";
export type { BenchFn } from "./registry";

export interface BenchOptions {
  readonly budget?: BenchBudget;
}

export interface BenchHandle {
  /** Sets (replaces) this benchmark's budget. */
  budget(budget: BenchBudget): BenchHandle;
}

/** Declares a benchmark. `fn` may be async, or a generator that sets up and yields the function to time. */
export function bench(name: string, fn: BenchFn, options?: BenchOptions): BenchHandle {
  if (typeof name !== "string" || name.trim() === "") {
    throw new TypeError("bench(name, fn): name must be a non-empty string");
  }
  if (typeof fn !== "function") {
    throw new TypeError(`bench("${name}", fn): fn must be a function, got ${typeof fn}`);
  }
  if (fn.length > 0) {
    throw new TypeError(`bench("${name}", fn): fn must take no parameters (set up inputs outside it, or use a generator)`);
  }
  const reg = registry();
  const group = reg.groups.length > 0 ? reg.groups.join("/") : undefined;
  const id = group === undefined ? name : `${group}/${name}`;
  if (reg.benches.some((b) => b.id === id)) {
    throw new Error(`bench("${name}"): a benchmark named "${id}" is already declared in this file`);
  }
  const entry: RegisteredBench = { name, id, fn, ...(group === undefined ? {} : { group }) };
  if (options?.budget !== undefined) entry.budget = options.budget;
  reg.benches.push(entry);
  const handle: BenchHandle = {
    budget(budget: BenchBudget): BenchHandle {
      entry.budget = budget;
      return handle;
    },
  };
  return handle;
}

/** Groups benchmarks: their ids become `group/name`. The callback must be synchronous. */
export function group(name: string, fn: () => void): void {
  if (typeof name !== "string" || name.trim() === "" || name.includes("/")) {
    throw new TypeError("group(name, fn): name must be a non-empty string without '/'");
  }
  const reg = registry();
  reg.groups.push(name);
  let returned: unknown;
  try {
    returned = fn();
  } finally {
    reg.groups.pop();
  }
  if (returned !== null && typeof returned === "object" && typeof (returned as { then?: unknown }).then === "function") {
    throw new TypeError(`group("${name}", fn): fn must be synchronous; benchmarks are declared when the file loads`);
  }
}

// Writing to a property of an object that escapes keeps V8 from proving the value unused.
const sink: { value: unknown } = { value: undefined };
(globalThis as { [k: symbol]: unknown })[Symbol.for("@choragen/perf/bench.sink")] = sink;

/** Keeps the JIT from eliminating the computation that produced `value`. */
export function do_not_optimize(value: unknown): void {
  sink.value = value;
}
