import type { LatencyUnit, MemoryUnit, OnViolation } from "../runtime/types";

export type { LatencyUnit, MemoryUnit, OnViolation } from "../runtime/types";

export interface LatencyBudget {
  max: number;
  unit: LatencyUnit;
  percentile?: number;
}

export interface MemoryBudget {
  max: number;
  unit: MemoryUnit;
}

export interface BenchBudget {
  p50?: LatencyBudget;
  p75?: LatencyBudget;
  p99?: LatencyBudget;
  mean?: LatencyBudget;
  heap?: MemoryBudget;
}

/** The resolved configuration: every default filled in, deep-frozen at runtime. */
export interface PerfConfig {
  contracts: {
    latency: { default: LatencyBudget; overrides: Record<string, LatencyBudget> };
    memory: { default: MemoryBudget; overrides: Record<string, MemoryBudget> };
    onViolation: OnViolation;
  };
  benchmarks: {
    enabled: boolean;
    include: string[];
    exclude: string[];
    regressionThreshold: number;
    baselineBranch: string;
    /** Measure side by side against the code of this git ref (`perf:bench --against`); absent: off. */
    against?: string;
    timeoutMs: number;
    budgets: Record<string, BenchBudget>;
  };
  thresholds: { minScore: number; maxViolations: number };
}

/** Where a resolved value came from, keyed by its key path (`contracts.latency.default`). */
export type ValueSource = "file" | "default";

export interface LoadedConfig {
  config: PerfConfig;
  /** Absolute path of the file read, or null when running on the defaults. */
  file: string | null;
  /** Absolute path of the project root (the folder holding `.choragen/`). */
  root: string;
  sources: Map<string, ValueSource>;
}

/** One thing wrong with a config file, placed where the user has to fix it. */
export interface ConfigProblem {
  file: string;
  /** 1-based; 0 when the problem is about the file as a whole (missing, unreadable). */
  line: number;
  /** 1-based; 0 together with line 0. */
  column: number;
  /** Key path such as `contracts.latency.overrides."api/*".max`; "" for the top level. */
  path: string;
  expected: string;
  found: string;
  /** One line, without the location: what is wrong. */
  message: string;
  hint?: string;
}
