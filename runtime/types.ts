/** Units a latency budget can be written in. Probes measure in milliseconds (performance.now()). */
export type LatencyUnit = "ns" | "us" | "ms" | "s";
/** Units a memory budget can be written in; 1 KB = 1024 B. Probes measure in bytes. */
export type MemoryUnit = "B" | "KB" | "MB" | "GB";
export type Unit = LatencyUnit | MemoryUnit;

export type ContractKind = "latency" | "memory";
export type OnViolation = "record" | "warn" | "throw";

export interface LatencyOptions {
  readonly max: number;
  readonly unit: LatencyUnit;
  /** Judge the contract on this percentile of all calls (1–100) instead of on every call. */
  readonly percentile?: number;
  /** Name used as the target when the runtime cannot infer one (wrapped anonymous functions). */
  readonly name?: string;
}

export interface MemoryOptions {
  readonly max: number;
  readonly unit: MemoryUnit;
  readonly name?: string;
}

/** Where a contract's probe came from: inlined by the transformer, or the runtime fallbacks. */
export type ProbeOrigin = "inline" | "decorator" | "wrapper" | "timer";

export interface ViolationContext {
  readonly origin: ProbeOrigin;
  /** The measurement covered asynchronous work (an async body or a returned promise). */
  readonly async: boolean;
  /** For percentile contracts: how many calls the percentile was computed over. */
  readonly samples?: number;
  readonly pid: number;
}

export interface PerformanceViolation {
  readonly contractId: string;
  readonly kind: ContractKind;
  /** `Class.method`, or the function's or timer's name. */
  readonly target: string;
  /** Path relative to the project root ("" when unknown). */
  readonly file: string;
  /** 1-based line of the annotation (0 when unknown). */
  readonly line: number;
  /** What was measured, in `unit`. */
  readonly measured: number;
  /** The budget, in `unit`. */
  readonly threshold: number;
  readonly unit: Unit;
  readonly percentile?: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly context: ViolationContext;
}

/** Call statistics per contract, so a report shows what was armed and exercised, not only what failed. */
export interface ContractSummary {
  readonly contractId: string;
  readonly kind: ContractKind;
  readonly target: string;
  readonly file: string;
  readonly line: number;
  readonly threshold: number;
  readonly unit: Unit;
  readonly percentile?: number;
  /** Known where every call is seen: percentile contracts and the runtime fallbacks. Inlined per-call
   *  probes record only on violation, so they leave it out rather than pay for a counter. */
  readonly calls?: number;
  readonly violations: number;
  /** Largest measurement seen in a violation or a sample, in `unit` (0 when none). */
  readonly worst: number;
  /** For percentile contracts: the current value of that percentile, in `unit`. */
  readonly percentileValue?: number;
  /** For percentile contracts: every call's measurement, so the reports of several processes merge exactly. */
  readonly samples?: SampleHistogram;
}

/** A percentile contract's calls as a sparse log-linear histogram (see runtime/histogram.ts). */
export interface SampleHistogram {
  /** Ticks per measuring unit: 1e6 for latency (ns ticks of milliseconds), 1 for memory (bytes). */
  readonly scale: number;
  /** The budget in the measuring unit (ms or bytes). */
  readonly limit: number;
  /** Calls measured above `limit`, counted exactly (a bucket can straddle the limit). */
  readonly above: number;
  /** Non-empty buckets, flat: `[index, count, index, count, …]`. */
  readonly buckets: readonly number[];
}

export interface PerformanceReport {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  /** The process that produced (or last merged into) this report. */
  readonly pid: number;
  readonly node: string;
  /** Every process whose data is in this report (several when workers merged into one file). */
  readonly pids?: readonly number[];
  readonly contracts: readonly ContractSummary[];
  readonly violations: readonly PerformanceViolation[];
  /** Violations counted but not stored because the collector's cap was reached (see `violations()`). */
  readonly droppedViolations?: number;
}

/** Defaults for `@perf.latency()` / `@perf.memory()` without options, and the runtime's reaction. */
export interface PerfConfig {
  readonly latency?: Omit<LatencyOptions, "name">;
  readonly memory?: Omit<MemoryOptions, "name">;
  /** Reaction for contracts that do not carry one; env CHORAGEN_PERF_ON_VIOLATION still wins. */
  readonly onViolation?: OnViolation;
}

/** A manual stopwatch from `perf.startTimer()`. */
export interface PerfTimer {
  readonly name: string;
  /** `performance.now()` when the timer started. */
  readonly start: number;
  /** Milliseconds since the timer started. */
  elapsed(): number;
}

/** Budget for `perf.assertLatency`. */
export interface AssertLatencyOptions {
  readonly max: number;
  readonly unit: LatencyUnit;
  /** Judge on this percentile of all assertions against the same timer name and budget. */
  readonly percentile?: number;
}
