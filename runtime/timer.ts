import { resolveBudget, runtimeContract, type Budget } from "./budget";
import { callerLocation, type SourceLocation } from "./callsite";
import { clock } from "./clock";
import type { ContractImpl } from "./contract";
import { state } from "./state";
import type { AssertLatencyOptions, PerfTimer } from "./types";
import { fromBase } from "./units";

class Timer implements PerfTimer {
  readonly start = clock.now();
  constructor(readonly name: string) {}
  elapsed(): number {
    return clock.now() - this.start;
  }
}

/** Starts a stopwatch. A named timer can later be judged by name; starting it again restarts it. */
export function startTimer(name?: string): PerfTimer {
  if (name !== undefined && (typeof name !== "string" || name === "")) {
    throw new TypeError(`perf.startTimer: the name must be a non-empty string, got ${String(name)}`);
  }
  const timer = new Timer(name ?? "timer");
  // Only named timers can be looked up again; unnamed ones are not kept, so they cannot pile up.
  if (name !== undefined) state.timers.set(name, timer);
  return timer;
}

/** Contracts of assertLatency, one per timer name and budget: kept outside the shared state on purpose,
 *  they are this copy's ContractImpl objects (the collector sees them through the shared registry). */
const timerContracts = new Map<string, ContractImpl>();

/**
 * Judges the time since `timer` started against the budget; records a violation (origin "timer") when it
 * is over, and returns the elapsed time in `options.unit`.
 *
 * Where the assertion is written: the transformer appends it as literals (`file`, `line`, `column` of the
 * TypeScript source, the file relative to the project root), because the stack shows the compiled
 * JavaScript unless the program runs with source maps. Without them it is read from the stack, and only
 * when a contract is first seen or a violation is recorded.
 */
export function assertLatency(timer: PerfTimer | string, options: AssertLatencyOptions, file?: string, line?: number, column?: number): number {
  const end = clock.now();
  const resolved = typeof timer === "string" ? state.timers.get(timer) : timer;
  if (resolved === undefined) {
    throw new Error(
      typeof timer === "string"
        ? `perf.assertLatency: no timer named "${timer}" was started (call perf.startTimer("${timer}") first)`
        : `perf.assertLatency: expected a timer from perf.startTimer() or its name, got ${String(timer)}`,
    );
  }
  const elapsed = end - resolved.start;
  const key = `${resolved.name}\0${String(options?.max)}\0${String(options?.unit)}\0${String(options?.percentile)}`;
  // Called only when a contract is first seen or a violation is recorded: nothing is built per call.
  const place = (): SourceLocation =>
    typeof file === "string" && typeof line === "number" ? { file, line, column: typeof column === "number" ? column : 0 } : callerLocation(assertLatency);
  let contract = timerContracts.get(key);
  if (contract === undefined) {
    const site = place();
    const budget: Budget = resolveBudget("perf.assertLatency", "latency", options, undefined, site);
    contract = runtimeContract(budget, resolved.name, site, "timer");
    timerContracts.set(key, contract);
  }
  contract.measure(elapsed, false, true, place, assertLatency);
  return fromBase(elapsed, contract.spec.unit);
}
