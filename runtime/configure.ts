import { resolveBudget } from "./budget";
import { callerLocation } from "./callsite";
import { isOnViolation, ON_VIOLATION } from "./defaults";
import { state } from "./state";
import type { LatencyUnit, MemoryUnit, PerfConfig } from "./types";


/**
 * Sets the defaults of `@perf.latency()` / `@perf.memory()` without options (read when a decorator or
 * wrapper is created, so configure first) and the reaction of contracts that carry none. Keys left out
 * keep their value. Env CHORAGEN_PERF_ON_VIOLATION still wins over `onViolation`.
 */
export function configure(config: PerfConfig): void {
  const site = callerLocation(configure);
  if (typeof config !== "object" || config === null) throw new TypeError("perf.configure: expected an object");
  for (const key of Object.keys(config)) {
    if (key !== "latency" && key !== "memory" && key !== "onViolation") {
      throw new TypeError(`perf.configure: unknown key "${key}" (expected latency, memory, onViolation)`);
    }
  }
  // Validate everything before changing anything.
  const latency = config.latency === undefined ? undefined : resolveBudget("perf.configure latency", "latency", config.latency, undefined, site);
  const memory = config.memory === undefined ? undefined : resolveBudget("perf.configure memory", "memory", config.memory, undefined, site);
  if (config.onViolation !== undefined && !isOnViolation(config.onViolation)) {
    throw new TypeError(`perf.configure: "onViolation" must be one of ${ON_VIOLATION.join(", ")}, got ${JSON.stringify(config.onViolation)}`);
  }
  if (latency !== undefined) {
    state.defaults.latency = {
      max: latency.max,
      unit: latency.unit as LatencyUnit,
      ...(latency.percentile === undefined ? {} : { percentile: latency.percentile }),
    };
  }
  if (memory !== undefined) state.defaults.memory = { max: memory.max, unit: memory.unit as MemoryUnit };
  if (config.onViolation !== undefined) state.defaults.onViolation = config.onViolation;
}
