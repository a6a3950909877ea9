/**
 * @choragen/perf — the runtime: performance contracts as real decorators and wrappers (the fallback when
 * the transformer is not in the build), manual timers, and the collector the inlined probes report to.
 */
import { armCollection } from "./collection";
import { reset, report, violations } from "./collector";
import { configure } from "./configure";
import { latency, memory, type LatencyAnnotation, type MemoryAnnotation } from "./decorators";
import { assertLatency, startTimer } from "./timer";
import type { AssertLatencyOptions, PerfConfig, PerformanceReport, PerformanceViolation, PerfTimer } from "./types";

export interface Perf {
  /** `@perf.latency(options?)` on a method or accessor, or `perf.latency(options, fn)` around a function. */
  readonly latency: LatencyAnnotation;
  /** `@perf.memory(options?)` on a method or accessor, or `perf.memory(options, fn)`: heap growth per call. */
  readonly memory: MemoryAnnotation;
  /** Starts a stopwatch; a named one can be judged by name later. */
  startTimer(name?: string): PerfTimer;
  /** Judges the time since the timer started, records a violation if over, returns it in `options.unit`. */
  assertLatency(timer: PerfTimer | string, options: AssertLatencyOptions): number;
  /** The violations so far in this process (a copy). */
  violations(): PerformanceViolation[];
  /** Armed contracts with their statistics, and the violations. */
  report(): PerformanceReport;
  /** Forgets violations, statistics and named timers; contracts stay armed. */
  reset(): void;
  /** Defaults for annotations without options, and the reaction to violations. */
  configure(config: PerfConfig): void;
}

armCollection();

export const perf: Perf = {
  latency,
  memory,
  startTimer,
  assertLatency,
  violations,
  report,
  reset,
  configure,
};

export { configure };
export { PerformanceViolationError } from "./violation";
export type { LatencyAnnotation, MemoryAnnotation, PerfDecorator } from "./decorators";
export type * from "./types";
