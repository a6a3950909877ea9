/**
 * The one document every reporter renders. It is built from the engine's verdict plus what only the
 * CLI knows (which command ran, the collected program run, where files came from), so the JSON
 * reporter, the table and the JUnit file can never disagree about the outcome.
 */
import { dependencyNote, stopText } from "./paired-words";
import { verdictWords, type ReportDeduction } from "./words";
import type {
  BenchResult,
  BenchStats,
  BudgetCheck,
  Comparison,
  FileFailure,
  MachineFingerprint,
  PerformanceViolation,
  RunResults,
  Verdict,
} from "../engine/types";

export type CommandName = "perf" | "perf:bench" | "perf:check";

/** A program run by `choragen perf -- <cmd>` with contracts armed. */
export interface CommandRun {
  readonly argv: readonly string[];
  /** null when the program was killed by a signal. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** False when the program never wrote a report (it did not load @choragen/perf). */
  readonly reportWritten: boolean;
  /** Contracts the program armed (from the runtime's report). */
  readonly contracts: number;
  readonly violations: number;
  readonly durationMs: number;
  /** Node.js processes and threads that started (seen by the preload); absent in older results. */
  readonly processes?: number;
  /** Processes, threads and test-runner sandboxes that loaded @choragen/perf; absent in older results. */
  readonly runtimeRealms?: number;
  /** A few of the processes that started, as command lines, for saying what ran. */
  readonly startedCommands?: readonly string[];
  /** `--allow-no-contracts`: the user said this command need not check any contract. */
  readonly allowNoContracts?: boolean;
}

export interface BenchRow {
  readonly id: string;
  readonly name: string;
  readonly group?: string;
  readonly file: string;
  readonly result: BenchResult;
  readonly comparison?: Comparison;
  readonly budgetChecks: readonly BudgetCheck[];
  /** The comparison says "regression" and the verdict counted it (not a --quick run, not a baseline
   *  from another machine): what every reporter follows, so none contradicts the exit code. */
  readonly regressionCounted: boolean;
}

export interface PerfReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: "choragen"; readonly version: string };
  readonly command: CommandName;
  readonly generatedAt: string;
  readonly root: string;
  /** The config file used, relative to the root; null when running on the defaults. */
  readonly configFile: string | null;
  readonly passed: boolean;
  readonly score: number;
  readonly minScore: number;
  readonly maxViolations: number;
  readonly failures: readonly string[];
  readonly warnings: readonly string[];
  readonly deductions: readonly ReportDeduction[];
  readonly benches: readonly BenchRow[];
  readonly fileFailures: readonly FileFailure[];
  /** The violations kept (at most 100 per contract from benches); `violationTotal` counts them all. */
  readonly violations: readonly PerformanceViolation[];
  readonly violationTotal: number;
  /** By contract id, kept or not. */
  readonly violationCounts: Readonly<Record<string, number>>;
  readonly machine: MachineFingerprint;
  readonly quick: boolean;
  readonly results: { readonly createdAt: string; readonly commit?: string; readonly benchCount: number };
  /** Where the baselines came from ("working tree", a git ref) and how many files; null when none. */
  readonly baseline: { readonly source: string; readonly files: number } | null;
  /** `--against <ref>`: both sides of the side-by-side run. */
  readonly against?: AgainstSummary;
  readonly run?: CommandRun;
}

/** One side of a bench in a side-by-side run. */
export interface SideSummary {
  /** Fastest sample over all its processes, and the median of the pooled samples (ns). */
  readonly fastest: number;
  readonly median: number;
  /** How far the processes' fast times spread: (slowest / fastest − 1) × 100. */
  readonly spreadPct: number;
  readonly processes: number;
}

export interface AgainstRow {
  readonly id: string;
  readonly file: string;
  readonly sides: "both" | "A" | "B";
  /** The ref's side and the working tree's. */
  readonly a?: SideSummary;
  readonly b?: SideSummary;
  readonly rounds: number;
  readonly stop: string;
  /** Why sampling stopped, in words. */
  readonly stopText: string;
}

export interface AgainstSummary {
  readonly ref: string;
  readonly commit: string;
  readonly worktree: string;
  /** Where both sides' dependencies came from. */
  readonly dependencies: string;
  readonly dependencyNote?: string;
  readonly wallMs: number;
  readonly processes: number;
  readonly benches: readonly AgainstRow[];
}

export interface ReportInput {
  readonly command: CommandName;
  readonly version: string;
  readonly root: string;
  readonly configFile: string | null;
  readonly maxViolations: number;
  readonly results: RunResults;
  readonly verdict: Verdict;
  readonly baseline: { readonly source: string; readonly files: number } | null;
  readonly run?: CommandRun;
  /** Warnings only the CLI knows about (a baseline ref that could not be read, a program without a report). */
  readonly extraWarnings?: readonly string[];
  readonly now?: Date;
}

export function describeCommand(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`)).join(" ");
}

/** Why a program run fails the check, or null when it exited cleanly and checked contracts. */
export function runFailure(run: CommandRun): string | null {
  if (run.signal !== null) return `\`${describeCommand(run.argv)}\` was killed by ${run.signal}`;
  if (run.exitCode !== 0) return `\`${describeCommand(run.argv)}\` exited with code ${String(run.exitCode)}`;
  if (run.contracts === 0 && run.allowNoContracts !== true) return nothingChecked(run);
  return null;
}

/** What is known about a run that armed no contract, its likely cause and the fix: a gate that checked nothing fails. */
export function nothingChecked(run: CommandRun): string {
  const command = `\`${describeCommand(run.argv)}\``;
  const optOut = "if it is not meant to check any, pass --allow-no-contracts";
  const seen = run.startedCommands && run.startedCommands.length > 0 ? ` (${run.startedCommands.join("; ")}${(run.processes ?? 0) > run.startedCommands.length ? "; …" : ""})` : "";
  const processes = (n: number): string => `${n} Node.js process${n === 1 ? "" : "es"} or thread${n === 1 ? "" : "s"}`;
  if (run.processes === 0) {
    return `${command} checked no contract: it started no Node.js process, so nothing could load @choragen/perf; run the command that runs your code (e.g. \`npx vitest run\`, \`node dist/main.js\`); ${optOut}`;
  }
  if ((run.runtimeRealms ?? 0) === 0) {
    const started = run.processes === undefined ? "" : `: ${processes(run.processes)} started${seen}, none loaded @choragen/perf`;
    return `${command} checked no contract${started}. The code that runs does not import @choragen/perf: annotate code the command runs, or check that the build it runs is the instrumented one (not a production build, where annotations are stripped); ${optOut}`;
  }
  return `${command} checked no contract: @choragen/perf was loaded (in ${run.runtimeRealms} process${run.runtimeRealms === 1 ? "" : "es"}, threads or sandboxes) but no annotated code was: the annotations are in modules the command never imports; ${optOut}`;
}

export function buildReport(input: ReportInput): PerfReport {
  const { verdict, results } = input;
  const comparisons = new Map<string, Comparison>();
  for (const comparison of verdict.comparisons) comparisons.set(key(comparison.file, comparison.id), comparison);
  const checks = new Map<string, BudgetCheck[]>();
  for (const check of verdict.budgetChecks) {
    const k = key(check.file, check.id);
    const list = checks.get(k);
    if (list) list.push(check);
    else checks.set(k, [check]);
  }
  // The verdict decides what counts; a regression it did not count was turned into a warning.
  const counted = new Set(verdict.deductions.filter((d) => d.kind === "regression" && d.file !== undefined).map((d) => key(d.file!, d.target)));
  const benches: BenchRow[] = results.results.map((result) => {
    const k = key(result.file, result.id);
    const comparison = comparisons.get(k);
    return {
      id: result.id,
      name: result.name,
      ...(result.group !== undefined ? { group: result.group } : {}),
      file: result.file,
      result,
      ...(comparison ? { comparison } : {}),
      budgetChecks: checks.get(k) ?? [],
      regressionCounted: comparison?.verdict === "regression" && counted.has(k),
    };
  });

  const words = verdictWords(verdict);
  const failures = [...words.failures];
  const failure = input.run ? runFailure(input.run) : null;
  if (failure !== null) failures.push(failure);
  const warnings = [...words.warnings, ...(input.extraWarnings ?? [])];

  return {
    schemaVersion: 1,
    tool: { name: "choragen", version: input.version },
    command: input.command,
    generatedAt: (input.now ?? new Date()).toISOString(),
    root: input.root,
    configFile: input.configFile,
    passed: verdict.passed && failure === null,
    score: verdict.score,
    minScore: verdict.minScore,
    maxViolations: input.maxViolations,
    failures,
    warnings,
    deductions: words.deductions,
    benches,
    fileFailures: results.fileFailures,
    violations: verdict.violations,
    violationTotal: verdict.violationTotal,
    violationCounts: verdict.violationCounts,
    machine: results.machine,
    quick: results.quick,
    results: {
      createdAt: results.createdAt,
      ...(results.commit !== undefined ? { commit: results.commit } : {}),
      benchCount: results.results.length,
    },
    baseline: input.baseline,
    ...(results.against ? { against: summariseAgainst(results) } : {}),
    ...(input.run ? { run: input.run } : {}),
  };
}

function sideSummary(stats: BenchStats | undefined, fast: readonly number[]): SideSummary | undefined {
  if (stats === undefined) return undefined;
  const lo = fast.reduce((m, x) => Math.min(m, x), Number.POSITIVE_INFINITY);
  const hi = fast.reduce((m, x) => Math.max(m, x), 0);
  return { fastest: stats.min, median: stats.p50, spreadPct: fast.length > 1 && lo > 0 ? (hi / lo - 1) * 100 : 0, processes: Math.max(1, fast.length) };
}

function summariseAgainst(results: RunResults): AgainstSummary {
  const against = results.against!;
  const rows = against.benches.map((bench): AgainstRow => {
    const b = results.results.find((r) => r.file === bench.file && r.id === bench.id)?.stats;
    const a = sideSummary(bench.a, bench.fastA);
    const bSide = sideSummary(b, bench.fastB);
    return {
      id: bench.id,
      file: bench.file,
      sides: bench.sides,
      ...(a ? { a } : {}),
      ...(bSide ? { b: bSide } : {}),
      rounds: bench.fastA.length,
      stop: bench.stop,
      stopText: stopText(bench.stop),
    };
  });
  return {
    ref: against.ref,
    commit: against.commit,
    worktree: against.worktree,
    dependencies: "the project's node_modules, for both sides",
    ...(against.changedLockfiles === undefined ? {} : { dependencyNote: dependencyNote(against.ref, against.changedLockfiles) }),
    wallMs: against.wallMs,
    processes: against.processes,
    benches: rows,
  };
}

function key(file: string, id: string): string {
  return `${file}\u0000${id}`;
}

/** A bench's own state, for tables and JUnit: the worst thing that can be said about it. */
export type BenchStatus = "error" | "over-budget" | "regression" | "slower-not-counted" | "ok";

/** "slower-not-counted": looks like a regression, but the run (--quick) or the baseline (another
 *  machine) cannot decide it; the verdict warns and passes, and so does every reporter. */
export function benchStatus(row: BenchRow): BenchStatus {
  if (!row.result.stats) return "error";
  if (row.budgetChecks.some((check) => !check.passed)) return "over-budget";
  if (row.comparison?.verdict === "regression") return row.regressionCounted ? "regression" : "slower-not-counted";
  return "ok";
}

/** A bench's status is a failure of the check. */
export function isFailing(status: BenchStatus): boolean {
  return status === "error" || status === "over-budget" || status === "regression";
}

/** All violations of one contract: reports show one line per contract, not one per slow call. */
export interface ViolationGroup {
  readonly contractId: string;
  readonly target: string;
  readonly kind: PerformanceViolation["kind"];
  readonly file: string;
  readonly line: number;
  readonly unit: string;
  readonly threshold: number;
  readonly percentile?: number;
  readonly count: number;
  /** The largest measurement among them. */
  readonly worst: number;
  readonly violations: readonly PerformanceViolation[];
}

/** The report's violations by contract, each counted in full (not only the kept ones). */
export function reportViolationGroups(report: Pick<PerfReport, "violations" | "violationCounts">): ViolationGroup[] {
  return groupViolations(report.violations, report.violationCounts);
}

/** "(664 in 2 contracts, 108 kept)": how many there were, and how many the report lists. */
export function violationsHeading(report: Pick<PerfReport, "violations" | "violationTotal">, groups: readonly ViolationGroup[]): string {
  const total = Math.max(report.violationTotal, report.violations.length);
  const contracts = groups.length === total ? "" : ` in ${groups.length} contract${groups.length === 1 ? "" : "s"}`;
  const kept = report.violations.length < total ? `, ${report.violations.length} kept` : "";
  return `Contract violations (${total}${contracts}${kept})`;
}

export function groupViolations(violations: readonly PerformanceViolation[], counts: Readonly<Record<string, number>> = {}): ViolationGroup[] {
  const groups = new Map<string, PerformanceViolation[]>();
  for (const v of violations) {
    // The id alone could collide across processes of different builds; the location disambiguates.
    const k = `${v.contractId}\u0000${v.file}\u0000${v.line}\u0000${v.kind}`;
    const list = groups.get(k);
    if (list) list.push(v);
    else groups.set(k, [v]);
  }
  return [...groups.values()].map((list) => {
    const first = list[0] as PerformanceViolation;
    const worst = list.reduce((a, b) => (b.measured > a.measured ? b : a), first);
    return {
      contractId: first.contractId,
      target: first.target,
      kind: first.kind,
      file: first.file,
      line: first.line,
      unit: worst.unit,
      threshold: worst.threshold,
      ...(first.percentile !== undefined ? { percentile: first.percentile } : {}),
      count: Math.max(list.length, Object.hasOwn(counts, first.contractId) ? (counts[first.contractId] ?? 0) : 0),
      worst: worst.measured,
      violations: list,
    };
  });
}

export function groupLocation(group: ViolationGroup): string {
  if (!group.file) return "";
  return group.line > 0 ? `${group.file}:${group.line}` : group.file;
}
