/**
 * The data the benchmark engine produces and the CLI renders. Everything here is plain JSON
 * (results and baselines are written to disk as-is). Times are nanoseconds, heap is bytes.
 */
import type { ContractSummary, PerformanceViolation } from "../../runtime/types";
import type { BenchBudget } from "../../bench/types";

export type { BenchBudget, LatencyLimit, HeapLimit, BenchLatencyUnit, BenchHeapUnit } from "../../bench/types";
export type { PerformanceViolation } from "../../runtime/types";

/** The part of the validated config the engine reads; `PerfConfig` from config/ is assignable to it. */
export interface EngineConfig {
  readonly benchmarks: {
    readonly include: readonly string[];
    readonly exclude?: readonly string[];
    /** Percent slower (the fastest time, calibrated: docs/regressions.md) that counts as a regression when also significant. */
    readonly regressionThreshold: number;
    readonly baselineBranch?: string;
    /** Measure side by side against this git ref (`--against`), see ab/runner.ts. */
    readonly against?: string;
    /** Longest a single benchmark (warmup + measurement), or the loading of a bench file, may take
     *  before its process is killed and it is reported as timed out (default 60 000). */
    readonly timeoutMs?: number;
    /** Budgets by bench name (or `group/name`); these win over budgets given in the bench file. */
    readonly budgets?: Readonly<Record<string, BenchBudget>>;
  };
  readonly thresholds: {
    readonly minScore: number;
    readonly maxViolations: number;
  };
}

export interface MachineFingerprint {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly arch: string;
  readonly os: string;
}

/** One field in which two machines differ enough to make their timings incomparable (machine.ts), with both values. */
export type MachineDifference = {
  readonly [F in keyof MachineFingerprint]: { readonly field: F; readonly a: MachineFingerprint[F]; readonly b: MachineFingerprint[F] };
}[keyof MachineFingerprint];

export interface BenchStats {
  readonly p50: number;
  readonly p75: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** How many samples mitata took. */
  readonly samples: number;
  /** A bounded (≤ 512), evenly spaced subset of the sorted samples, ns; what the statistics use. */
  readonly sampleSet: readonly number[];
  /** Median of each block the measurement was split into, in time order (ns): the drift over time. */
  readonly blocks?: readonly number[];
  /** Fastest time (ns) of a fixed calibration workload measured between the blocks: how fast the
   *  machine itself was during this benchmark. Regression detection divides by it. */
  readonly calibration?: number;
  /** Average heap allocated per iteration, bytes (absent when the runtime could not measure it). */
  readonly heapPerIter?: number;
  /** Each process's fast time (ns, the median of its fastest 2.5%), when pooled from several: the
   *  independent values the p-value and interval against a stored baseline are computed on. */
  readonly processes?: readonly number[];
}

export interface BenchResult {
  /** Bench file, relative to the project root, `/`-separated. */
  readonly file: string;
  readonly name: string;
  readonly group?: string;
  /** `group/name` when in a group, else `name`: the key budgets and baselines use. */
  readonly id: string;
  readonly stats?: BenchStats;
  /** Why the bench has no stats: it threw, the file failed to compile/load, the process died. */
  readonly error?: string;
  readonly timedOut?: boolean;
  /** The effective budget (config merged over the bench file's). */
  readonly budget?: BenchBudget;
  /** With `budget`: what the bench file declared (`{}` for nothing), so that `perf:check` can apply
   *  the config as it is then to it, a budget removed from the config included. */
  readonly fileBudget?: BenchBudget;
}

/** A bench file that could not be run at all (compile error, crash before any bench started). */
export interface FileFailure {
  readonly file: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly kind: "compile" | "load" | "crash" | "timeout";
}

export interface RunResults {
  readonly schemaVersion: 1;
  readonly createdAt: string;
  readonly commit?: string;
  readonly machine: MachineFingerprint;
  readonly quick: boolean;
  /** The `--filter` pattern (RegExp source) when the run was filtered. */
  readonly filter?: string;
  readonly results: readonly BenchResult[];
  readonly fileFailures: readonly FileFailure[];
  /** Contract violations raised inside benchmarked code. */
  readonly violations: readonly PerformanceViolation[];
  /** `--against <ref>`: the same benches measured at the ref in the same run, interleaved (ab/runner.ts). */
  readonly against?: AgainstRun;
  /** Violations beyond 100 per contract, counted but not kept. */
  readonly violationsOmitted?: number;
  /** The same, by contract id: what each contract's count in the report adds to the kept ones. */
  readonly violationsOmittedByContract?: Readonly<Record<string, number>>;
}

/** Why the A/B runner stopped sampling a bench (see ab/paired.ts, decidePaired). */
export type AbStopReason = "settled" | "time-cap" | "round-cap" | "failed" | "one-side";

/** One bench of an A/B run. The B side's pooled stats are the run's own result for the bench. */
export interface AbBench {
  readonly file: string;
  readonly id: string;
  /** Where the bench exists: both sides, only at the ref ("removed"), only in the working tree ("new"). */
  readonly sides: "both" | "A" | "B";
  /** The A side's stats, pooled over its processes. */
  readonly a?: BenchStats;
  /** Why the A side has no stats (it threw, timed out, its file failed to compile at the ref). */
  readonly aError?: string;
  /** Per round, each side's fast time (ns, the median of the process's fastest 2.5%), paired by index. */
  readonly fastA: readonly number[];
  readonly fastB: readonly number[];
  /** Per round, which side ran first. */
  readonly firsts: readonly ("A" | "B")[];
  /**
   * Per round (one process holding both sides, ab/interleave.ts), the round's difference: the median
   * of its sample pairs' ln(B / A). Absent in runs of the earlier design (one process per side and
   * round), where a round's difference is ln(fastB / fastA).
   */
  readonly differences?: readonly number[];
  /** Per round, how many sample (or block) pairs its difference is the median of. */
  readonly pairs?: readonly number[];
  readonly stop: AbStopReason;
}

export interface AgainstRun {
  /** The ref as given, and the commit it named. */
  readonly ref: string;
  readonly commit: string;
  /** The worktree, relative to the project root. */
  readonly worktree: string;
  /** The lockfiles that differ at the ref (absent when none do): both sides ran with the project's node_modules. */
  readonly changedLockfiles?: readonly string[];
  readonly benches: readonly AbBench[];
  /** Bench files that exist only at the ref. */
  readonly removedFiles: readonly string[];
  /** Wall time of the whole measurement, ms. */
  readonly wallMs: number;
  /** Processes started, both sides. */
  readonly processes: number;
}

/** `.choragen/baselines/<file with / → __>.json` */
export interface BaselineFile {
  readonly schemaVersion: 1;
  readonly file: string;
  readonly createdAt: string;
  readonly commit?: string;
  readonly machine: MachineFingerprint;
  readonly results: readonly BenchResult[];
}

export interface Baselines {
  /** Where they were read from: "working tree" or the git ref. */
  readonly source: string;
  readonly files: readonly BaselineFile[];
}

export type ComparisonVerdict = "regression" | "improvement" | "unchanged" | "new";

export interface Comparison {
  readonly id: string;
  readonly file: string;
  readonly baselineP50?: number;
  readonly currentP50: number;
  /** Fastest times (ns): what regressions are judged on (see docs/regressions.md). */
  readonly baselineMin?: number;
  readonly currentMin: number;
  /** (current − baseline) / baseline × 100 on the fastest times; 0 for "new". */
  readonly changePct: number;
  /** The same after dividing each run by its calibration time (how fast the machine was). */
  readonly normalizedChangePct?: number;
  /** Interval of the change (percent): side by side, the exact signed-rank interval over the paired
   *  rounds; against a stored baseline, the exact Mann–Whitney (Hodges–Lehmann) interval over the
   *  processes' fast times. Its exact confidence is `ciConfidence`. */
  readonly changeCi?: readonly [number, number];
  readonly ciConfidence?: number;
  /** Exact one-sided p-value in the direction of the change, on independent values: the paired rounds
   *  (signed-rank test), or the processes of each side (Mann–Whitney). Absent when there are none
   *  (a baseline saved before processes were kept). */
  readonly pValue?: number;
  /** Stored baseline: how many processes each side's p-value and interval rest on. */
  readonly processCounts?: readonly [number, number];
  readonly verdict: ComparisonVerdict;
  readonly sameMachine: boolean;
  /** Side by side (`--against`): the interval is the exact signed-rank interval of the paired change of the fast times. */
  readonly paired?: {
    readonly ref: string;
    readonly rounds: number;
    /** The interval's exact confidence (≥ 95%). */
    readonly confidence: number;
    readonly stop: AbStopReason;
  };
}

export type BudgetMetric = "p50" | "p75" | "p99" | "mean" | "heap";

export interface BudgetCheck {
  readonly id: string;
  readonly file: string;
  readonly metric: BudgetMetric;
  /** Measured value in the budget's unit. */
  readonly measured: number;
  readonly max: number;
  readonly unit: string;
  readonly passed: boolean;
  /** 0–100 sub-score of this metric against its budget (see docs/score.md). */
  readonly score: number;
}

export type DeductionKind = "budget" | "regression" | "violation" | "error";

/**
 * A bench that could not be measured: a whole file (compile error, crash, timeout before any bench ran) or
 * one bench (it threw, timed out, its process died).
 */
export type BenchError =
  | { readonly kind: "file"; readonly failure: FileFailure }
  | { readonly kind: "bench"; readonly id: string; readonly file: string; readonly timedOut: boolean; readonly error?: string };

interface DeductionBase {
  /** Points taken off the 100; sums (capped) to 100 − score. */
  readonly points: number;
  readonly target: string;
  readonly file?: string;
  readonly line?: number;
}

/**
 * Points off the score and the facts behind them. The engine decides; the words are the reporters'
 * (cli/report/words.ts), so no reporter reads a sentence back.
 */
export type Deduction =
  | (DeductionBase & { readonly kind: "error"; readonly error: BenchError })
  | (DeductionBase & { readonly kind: "budget"; readonly check: BudgetCheck; /** How many budgets share the budget part of the score. */ readonly budgetCount: number })
  | (DeductionBase & {
      readonly kind: "regression";
      readonly comparison: Comparison;
      /** Side by side (`--against`): what the paired comparison found (cli/engine/ab/compare.ts). */
      readonly paired?: PairedRegression;
    })
  | (DeductionBase & {
      readonly kind: "violation";
      /** The first violation of the contract: who, where, which budget. */
      readonly violation: PerformanceViolation;
      /** All of the contract's violations, kept or not. */
      readonly count: number;
      /** The largest measurement among the kept ones, in the violation's unit. */
      readonly worst: number;
    });

/** Why a check fails: one fact each (the words: cli/report/words.ts). */
export type Failure =
  | { readonly kind: "score"; readonly score: number; readonly minScore: number }
  | { readonly kind: "error"; readonly error: BenchError }
  | { readonly kind: "over-budget"; readonly check: BudgetCheck }
  | { readonly kind: "regression"; readonly comparison: Comparison; readonly thresholdPct: number }
  /** Side by side (`--against`): judged on the paired rounds (cli/engine/ab/compare.ts). */
  | { readonly kind: "paired-regression"; readonly comparison: Comparison; readonly paired: PairedRegression }
  | { readonly kind: "violations"; readonly total: number; readonly maxViolations: number };

/** What a reader should know about a verdict that does not fail it. */
export type Warning =
  | { readonly kind: "quick-results" }
  | { readonly kind: "unmatched-budget"; readonly key: string; readonly suggestions: readonly string[] }
  | { readonly kind: "baseline-other-machine"; readonly file: string; readonly differences: readonly MachineDifference[]; readonly machine: MachineFingerprint }
  | { readonly kind: "regression-not-counted"; readonly comparison: Comparison; readonly why: "other-machine" | "quick" }
  | { readonly kind: "no-baselines"; readonly source: string }
  | { readonly kind: "saved-busy"; readonly id: string; readonly spreadPct: number }
  | { readonly kind: "unchanged-busy"; readonly id: string; readonly side: "baseline" | "run"; readonly spreadPct: number }
  | PairedWarning;

/**
 * Side by side (`--against`): the change of a bench's fast time B vs A, percent, as the paired rounds
 * give it: the Hodges–Lehmann estimate and its exact signed-rank interval (low −100, high +Infinity when
 * there are too few rounds for one), unrounded (cli/engine/ab/paired.ts).
 */
export interface PairedChange {
  readonly changePct: number;
  readonly lowPct: number;
  readonly highPct: number;
  /** The exact confidence of the interval (0 when there is none). */
  readonly confidence: number;
  readonly rounds: number;
}

/** Side by side: a bench whose whole interval lies above the threshold. */
export interface PairedRegression {
  readonly id: string;
  readonly ref: string;
  readonly commit: string;
  /** Fastest time (ns) at the ref, and in the working tree. */
  readonly refMin: number;
  readonly currentMin: number;
  readonly change: PairedChange;
  readonly thresholdPct: number;
}

/** Side by side: what a reader should know about the comparison with the ref (cli/engine/ab/compare.ts). */
export type PairedWarning =
  /** Both sides ran with the project's node_modules, though the ref's lockfiles differ (AgainstRun.changedLockfiles). */
  | { readonly kind: "paired-dependencies"; readonly ref: string; readonly lockfiles: readonly string[] }
  /** The bench exists at the ref but could not be measured there (its file did not compile or load, it threw): not compared. */
  | { readonly kind: "paired-not-measured-at-ref"; readonly id: string; readonly file: string; readonly ref: string; readonly error?: string }
  /** "unchanged", but only because the interval still reaches over the threshold. */
  | {
      readonly kind: "paired-unsettled";
      readonly id: string;
      readonly ref: string;
      readonly change: PairedChange;
      readonly thresholdPct: number;
      readonly why: "too-few-rounds" | "noisy";
    }
  | { readonly kind: "paired-bench-removed"; readonly id: string; readonly file: string; readonly ref: string }
  | { readonly kind: "paired-file-removed"; readonly file: string; readonly ref: string };

export interface Verdict {
  /** 0–100, integer. */
  readonly score: number;
  readonly passed: boolean;
  readonly minScore: number;
  readonly deductions: readonly Deduction[];
  readonly comparisons: readonly Comparison[];
  readonly budgetChecks: readonly BudgetCheck[];
  /** The violations kept (at most 100 per contract from benches, 10 000 per program process). */
  readonly violations: readonly PerformanceViolation[];
  /** How many violations there were, kept or not: by contract id, and in all. */
  readonly violationCounts: Readonly<Record<string, number>>;
  readonly violationTotal: number;
  /** Why `passed` is false (empty when passed). */
  readonly failures: readonly Failure[];
  /** E.g. baseline from another machine, quick-mode results, no baseline. */
  readonly warnings: readonly Warning[];
}

export type ProgressEvent =
  | { readonly type: "compile"; readonly files: number; readonly cached: number }
  | { readonly type: "file-start"; readonly file: string; readonly index: number; readonly total: number }
  | { readonly type: "bench-start"; readonly file: string; readonly id: string }
  | { readonly type: "bench-done"; readonly result: BenchResult }
  | { readonly type: "file-done"; readonly file: string; readonly failure?: FileFailure }
  /** `--against`: a round of one process per side is about to run, for the benches still undecided. */
  | { readonly type: "ab-round"; readonly file: string; readonly round: number; readonly benches: number }
  /** Standard mode: these benches are measured in a third process before their result is final. */
  | { readonly type: "third-pass"; readonly file: string; readonly ids: readonly string[]; readonly reason: ThirdPassReason };

export interface RunOptions {
  /** Project root (absolute). */
  readonly root: string;
  readonly config: EngineConfig;
  /** The config file `config` was read from (absolute; `--config` included): bench files are compiled
   *  with it, so defaults given there apply to `@perf.latency()` in benchmarked code. Null: the defaults.
   *  Absent: `.choragen/performance.yaml` under the root when there is one. */
  readonly configFile?: string | null;
  /** Only benches whose id matches. */
  readonly filter?: RegExp;
  /** Few samples and short time: for tests and smoke runs, not for baselines. */
  readonly quick?: boolean;
  /**
   * Standard mode: which benches get a third process after the first two were pooled (see
   * runner.ts, runFilePasses), and why (the progress says it). Without it, two processes.
   */
  readonly thirdPass?: ThirdPass;
  /** Each process is one short process of an A/B round (see ab/runner.ts). */
  readonly abProcess?: boolean;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/**
 * Why benches get a third process: they look like regressions against a baseline from this machine
 * (judge.ts, confirmRegressions), or the run is saved as baselines (every bench; cli/pipeline.ts).
 */
export type ThirdPassReason = "confirm-regression" | "save-baseline";

export interface ThirdPass {
  /** Called with the two-process result of each bench that measured. */
  readonly select: (result: BenchResult) => boolean;
  readonly reason: ThirdPassReason;
}

export interface JudgeInput {
  readonly config: EngineConfig;
  readonly results: RunResults;
  readonly baselines?: Baselines;
  /** Violations collected elsewhere (e.g. `choragen perf -- <cmd>`). */
  readonly extraViolations?: readonly PerformanceViolation[];
  /** The contracts of that program, whose `violations` count also the ones its runtime did not keep. */
  readonly extraContracts?: readonly ContractSummary[];
  /** These results were just saved as the baselines (`--save-baseline`): the old ones are on their way out. */
  readonly savedAsBaselines?: boolean;
}

/** A user-facing engine failure (bad results file, missing git ref): the CLI prints `message`, exits 2. */
export class EngineError extends Error {
  override readonly name = "EngineError";
  constructor(
    message: string,
    /** The file the message is about, relative to the root, when there is one. */
    readonly file?: string,
    /** For callers that treat some cases softly, e.g. no baselines at the ref on a first run. */
    readonly code?: "ref-missing" | "baselines-missing" | "bad-file" | "quick-results",
    /** What is wrong, without the advice on what to do (a caller that acts on it gives its own). */
    readonly problem: string = message,
  ) {
    super(message);
  }
}
