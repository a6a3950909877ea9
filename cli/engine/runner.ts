/**
 * Runs the bench files: each in its own child process (dist/cli/engine/child.js), one after the
 * other so they do not compete for the CPU. A bench that throws is reported and the next one runs;
 * a bench that hangs past the timeout or kills its process is reported by name and a fresh child
 * runs the benches after it.
 */
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { effectiveBudget } from "./budgets";
import type { CompiledBench } from "./compile";
import { currentCommit } from "./git";
import { machineFingerprint } from "./machine";
import { choragenDir } from "./paths";
import { TASK_ENV, type ChildMessage, type ChildTask, type DeclaredBench, type PairTask } from "./protocol";
import { writeLatestResults } from "./results";
import { discoverBenchFiles } from "./discover";
import { afterPipesClose, killGroup } from "./process-group";
import { processFastTime } from "./ab/paired";
import { boundedSampleSet } from "./statistics";
import type { BenchResult, BenchStats, FileFailure, PerformanceViolation, RunOptions, RunResults } from "./types";

export const DEFAULT_TIMEOUT_MS = 60_000;
/** Violations kept per contract: enough to show and to score (points saturate far below this). */
const VIOLATIONS_KEPT_PER_CONTRACT = 100;

export async function runBenchmarks(opts: RunOptions): Promise<RunResults> {
  const { root, config } = opts;
  const symlinks: string[] = [];
  const files = discoverBenchFiles(root, config.benchmarks.include, config.benchmarks.exclude ?? [], (file) => symlinks.push(file));
  const configPath = opts.configFile === undefined ? path.join(choragenDir(root), "performance.yaml") : opts.configFile;
  // Loaded only when there is something to compile: judging old results must not need TypeScript.
  const { compileBenchFiles } = files.length === 0 ? { compileBenchFiles: () => [] as CompiledBench[] } : await import("./compile.js");
  const filter = opts.filter;
  // A file none of whose benches can match --filter is not loaded: its top-level code must not run.
  // (Loaded lazily as compile is: it needs TypeScript, which judging old results must not load.)
  const { mayDeclareMatching } = filter === undefined || files.length === 0 ? { mayDeclareMatching: () => true } : await import("./static-benches.js");
  const all = compileBenchFiles(files, { root, ...(configPath !== null && fs.existsSync(configPath) ? { configPath } : {}) });
  opts.onProgress?.({ type: "compile", files: all.length, cached: all.filter((c) => c.cached).length });
  const compiled = all.filter((c) => filter === undefined || c.inputs === undefined || mayDeclareMatching(root, c.file, c.inputs, filter));

  const results: BenchResult[] = [];
  // A link is compiled and reported under a name that is not where its code lives (and may point out
  // of the project): it is named as a file that could not run rather than skipped without a word.
  const fileFailures: FileFailure[] = symlinks.map((file) => ({
    file,
    kind: "load",
    message: `${file} is a symbolic link: bench files are run only as regular files; include the file it points to, or replace the link with a copy`,
  }));
  const violations: PerformanceViolation[] = [];
  for (const [index, c] of compiled.entries()) {
    opts.onProgress?.({ type: "file-start", file: c.file, index, total: compiled.length });
    if (c.entry === undefined) {
      const failure = c.failure ?? { file: c.file, kind: "compile" as const, message: "not compiled" };
      fileFailures.push(failure);
      opts.onProgress?.({ type: "file-done", file: c.file, failure });
      continue;
    }
    const outcome = await runFilePasses(c.file, c.entry, opts);
    results.push(...outcome.results);
    violations.push(...outcome.violations);
    if (outcome.failure !== undefined) fileFailures.push(outcome.failure);
    opts.onProgress?.({ type: "file-done", file: c.file, ...(outcome.failure === undefined ? {} : { failure: outcome.failure }) });
  }
  const { kept, omitted, byContract } = capViolations(violations);
  const commit = currentCommit(root);
  const run: RunResults = {
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    ...(commit === undefined ? {} : { commit }),
    machine: machineFingerprint(),
    quick: opts.quick === true,
    ...(opts.abProcess === true ? { ab: true } : {}),
    ...(opts.filter === undefined ? {} : { filter: opts.filter.source }),
    results,
    fileFailures,
    violations: kept,
    ...(omitted > 0 ? { violationsOmitted: omitted, violationsOmittedByContract: byContract } : {}),
  };
  // A run that measured nothing (a --filter that matched no bench, no bench files) is a usage error,
  // not results: written, it would replace the last good run and `perf:check` would pass on nothing.
  // (This also keeps a run outside any project from creating `.choragen/` where it was started.)
  if (results.length > 0 || fileFailures.length > 0) writeLatestResults(root, run);
  return run;
}

export function capViolations(all: readonly PerformanceViolation[]): { kept: PerformanceViolation[]; omitted: number; byContract: Record<string, number> } {
  const perContract = new Map<string, number>();
  const kept: PerformanceViolation[] = [];
  // No prototype: a contract id is user text (a timer name), "__proto__" included.
  const byContract: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const v of all) {
    const n = perContract.get(v.contractId) ?? 0;
    perContract.set(v.contractId, n + 1);
    if (n < VIOLATIONS_KEPT_PER_CONTRACT) kept.push(v);
    else byContract[v.contractId] = (byContract[v.contractId] ?? 0) + 1;
  }
  return { kept, omitted: all.length - kept.length, byContract };
}

export interface FileOutcome {
  readonly results: BenchResult[];
  readonly violations: PerformanceViolation[];
  readonly failure?: FileFailure;
}

export interface Attempt {
  declared?: readonly DeclaredBench[];
  loadError?: string;
  finished: boolean;
  /** The bench running when the child stopped talking. */
  current?: string;
  timedOut: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
  violations: PerformanceViolation[];
}

/**
 * Standard mode measures each bench file in two processes, half the blocks in each, and pools them.
 * Each process gets its own JIT decisions: now and then one compiles a function into code that is
 * 1.5–2× slower for its whole life (seen on about 1 process in 15 on a busy machine). One process
 * alone cannot know; the fastest of two is right unless both are unlucky. When both were, and the
 * pooled result would fail the build (`opts.thirdPass`: it looks like a regression), the benches in
 * question get a third process before the verdict; see docs/regressions.md for what that changes.
 */
async function runFilePasses(file: string, entry: string, opts: RunOptions): Promise<FileOutcome> {
  if (opts.quick === true) return runFile(file, entry, opts, 4, true);
  const first = await runFile(file, entry, opts, 4, false);
  if (first.failure !== undefined) {
    for (const r of first.results) opts.onProgress?.({ type: "bench-done", result: r });
    return first;
  }
  // What threw, hung or crashed once is reported as such, not given a second chance to hang.
  const failed = first.results.filter((r) => r.stats === undefined).map((r) => r.id);
  const third = opts.thirdPass;
  const second = await nextPass(file, entry, opts, first, failed, third === undefined);
  if (third === undefined) return second;
  const selected = second.failure === undefined ? second.results.filter((r) => r.stats !== undefined && third.select(r)).map((r) => r.id) : [];
  if (selected.length > 0) opts.onProgress?.({ type: "third-pass", file, ids: selected, reason: third.reason });
  const others = second.results.map((r) => r.id).filter((id) => !selected.includes(id));
  const outcome = selected.length === 0 ? second : await nextPass(file, entry, opts, second, others, false);
  for (const r of outcome.results) opts.onProgress?.({ type: "bench-done", result: r });
  return outcome;
}

/** One more process for the benches not in `skip`, pooled with what `earlier` measured. */
async function nextPass(
  file: string,
  entry: string,
  opts: RunOptions,
  earlier: FileOutcome,
  skip: readonly string[],
  report: boolean,
): Promise<FileOutcome> {
  const before = new Map(earlier.results.map((r) => [r.id, r]));
  if (report) for (const id of skip) opts.onProgress?.({ type: "bench-done", result: before.get(id)! });
  const next = await runFile(file, entry, opts, 4, report, (r) => mergePasses(before.get(r.id), r), skip);
  const merged = new Map(next.results.map((r) => [r.id, r]));
  return {
    results: earlier.results.map((r) => merged.get(r.id) ?? r),
    violations: [...earlier.violations, ...next.violations],
    ...(next.failure === undefined ? {} : { failure: next.failure }),
  };
}

/** One benchmark's results from two (or more) processes, pooled. An error in either is the result. */
export function mergePasses(a: BenchResult | undefined, b: BenchResult): BenchResult {
  if (a === undefined || b.stats === undefined) return b;
  if (a.stats === undefined) return a;
  const x = a.stats;
  const y = b.stats;
  const pooled = [...x.sampleSet, ...y.sampleSet].sort((p, q) => p - q);
  const at = (q: number): number => pooled[Math.floor(q * (pooled.length - 1))]!;
  const heaps = [x.heapPerIter, y.heapPerIter].filter((h): h is number => h !== undefined);
  const calibrations = [x.calibration, y.calibration].filter((c): c is number => c !== undefined);
  const stats: BenchStats = {
    p50: at(0.5),
    p75: at(0.75),
    p99: at(0.99),
    min: Math.min(x.min, y.min),
    max: Math.max(x.max, y.max),
    mean: (x.mean * x.samples + y.mean * y.samples) / (x.samples + y.samples),
    samples: x.samples + y.samples,
    sampleSet: boundedSampleSet(pooled),
    blocks: [...(x.blocks ?? []), ...(y.blocks ?? [])],
    ...(calibrations.length > 0 ? { calibration: Math.min(...calibrations) } : {}),
    ...(heaps.length > 0 ? { heapPerIter: heaps.reduce((s, h) => s + h, 0) / heaps.length } : {}),
    processes: [...(x.processes ?? [processFastTime(x)]), ...(y.processes ?? [processFastTime(y)])],
  };
  return { ...b, stats };
}

export async function runFile(
  file: string,
  entry: string,
  opts: RunOptions,
  blocks: number,
  report: boolean,
  finish: (result: BenchResult) => BenchResult = (r) => r,
  skipIds: readonly string[] = [],
): Promise<FileOutcome> {
  const timeoutMs = opts.config.benchmarks.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const done = new Map<string, BenchResult>();
  const violations: PerformanceViolation[] = [];
  let declared: readonly DeclaredBench[] | undefined;
  const resultFor = (id: string, extra: Partial<BenchResult>): BenchResult => {
    const d = declared?.find((b) => b.id === id);
    const name = d?.name ?? id;
    const budget = effectiveBudget(id, name, d?.budget, opts.config.benchmarks.budgets);
    return {
      file,
      name,
      ...(d?.group === undefined ? {} : { group: d.group }),
      id,
      ...(budget === undefined ? {} : { budget, fileBudget: d?.budget ?? {} }),
      ...extra,
    };
  };
  const record = (raw: BenchResult): void => {
    const result = finish(raw);
    done.set(result.id, result);
    if (report) opts.onProgress?.({ type: "bench-done", result });
  };
  // Each attempt runs the benches not yet settled; one more attempt per bench that took its child down.
  for (let attemptNo = 0; ; attemptNo++) {
    const attempt = await runChild(entry, [...skipIds, ...done.keys()], blocks, opts, timeoutMs, (message) => {
      if (message.type === "loaded") declared ??= message.benches;
      else if (message.type === "start") opts.onProgress?.({ type: "bench-start", file, id: message.id });
      else if (message.type === "done") record(resultFor(message.id, { stats: message.stats }));
      else if (message.type === "error") record(resultFor(message.id, { error: message.message }));
    });
    violations.push(...attempt.violations);
    if (attempt.loadError !== undefined) {
      return { results: [...done.values()], violations, failure: { file, kind: "load", message: attempt.loadError } };
    }
    if (attempt.finished) break;
    const how = describeExit(attempt, timeoutMs);
    if (attempt.current === undefined) {
      const failure: FileFailure = {
        file,
        kind: attempt.timedOut ? "timeout" : "crash",
        message: `${attempt.declared === undefined ? "while loading" : "between benchmarks"}: ${how}`,
      };
      return { results: [...done.values()], violations, failure };
    }
    record(
      resultFor(attempt.current, {
        error: attempt.timedOut ? how : `${how} while this benchmark ran`,
        ...(attempt.timedOut ? { timedOut: true } : {}),
      }),
    );
    if (declared === undefined || attemptNo > declared.length) break;
    if (declared.every((b) => done.has(b.id) || skipIds.includes(b.id))) break;
  }
  const ordered = (declared ?? []).map((b) => done.get(b.id)).filter((r): r is BenchResult => r !== undefined);
  return { results: ordered, violations };
}

export function describeExit(attempt: Attempt, timeoutMs: number): string {
  const stderr = attempt.stderrTail.trim();
  const tail = stderr === "" ? "" : ` — stderr: ${stderr.split("\n").slice(-5).join(" | ")}`;
  if (attempt.timedOut) return `no result within ${timeoutMs} ms (benchmarks.timeoutMs); the process was killed${tail}`;
  if (attempt.signal !== null) return `the process was killed by ${attempt.signal}${tail}`;
  return `the process exited with code ${attempt.exitCode ?? "?"}${tail}`;
}

const CHILD_SCRIPT = path.join(__dirname, "child.js");
/**
 * A process holding both sides compiles optimised code on its main thread. With the default
 * background compiler a busy machine starves that thread: one side's function can reach optimised
 * code hundreds of milliseconds after the other's, and a round then measured a 2.5× "difference"
 * (the branchy workload of eval:ab: per-round differences of ±150% in half the rounds at load 11–14;
 * with this flag, a standard deviation of 0.5% over rounds). Both sides then tier up after the same
 * calls, whatever the load.
 */
const PAIRED_V8_FLAGS = ["--no-concurrent-recompilation"];
/** How long the stderr of a finished bench process may take to drain once its group is killed. */
const PIPE_GRACE_MS = 2_000;
const STDERR_TAIL_BYTES = 4096;

export function runChild(
  entry: string,
  skip: readonly string[],
  blocks: number,
  opts: RunOptions,
  timeoutMs: number,
  onMessage: (message: ChildMessage) => void,
  pair?: PairTask,
): Promise<Attempt> {
  const reportFile = path.join(os.tmpdir(), `choragen-bench-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const task: ChildTask = {
    entry,
    skip,
    blocks,
    quick: opts.quick === true,
    ...(pair === undefined ? {} : { pair }),
    ...(opts.abProcess === true ? { ab: true } : {}),
    ...(opts.filter === undefined ? {} : { filter: { source: opts.filter.source, flags: opts.filter.flags.replace(/[gy]/g, "") } }),
  };
  const attempt: Attempt = { finished: false, timedOut: false, exitCode: null, signal: null, stderrTail: "", violations: [] };
  return new Promise((resolve) => {
    const child: ChildProcess = fork(CHILD_SCRIPT, [], {
      cwd: opts.root,
      // A process group of its own: whatever the bench file starts (a forked helper holding our
      // stdout/stderr pipes open) is in it and is killed with it (process-group.ts).
      detached: true,
      execArgv: ["--expose-gc", "--enable-source-maps", ...(pair === undefined ? [] : PAIRED_V8_FLAGS)],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: {
        ...process.env,
        [TASK_ENV]: JSON.stringify(task),
        CHORAGEN_PERF_REPORT: reportFile,
        // Contracts in benchmarked code are called thousands of times: record, never throw mid-measurement.
        CHORAGEN_PERF_ON_VIOLATION: "record",
        CHORAGEN_PERF_MODE: "instrument",
      },
    });
    stopWithParent(child);
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        attempt.timedOut = true;
        killGroup(child);
      }, timeoutMs);
    };
    arm();
    child.stdout?.resume();
    child.stderr?.on("data", (chunk: Buffer) => {
      attempt.stderrTail = (attempt.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
    });
    child.on("message", (raw) => {
      const message = raw as ChildMessage;
      switch (message.type) {
        case "loaded":
          attempt.declared = message.benches;
          break;
        case "load-error":
          attempt.loadError = message.message;
          break;
        case "start":
          attempt.current = message.id;
          arm();
          break;
        case "done":
        case "error":
        case "paired":
          attempt.current = undefined;
          break;
        case "finished":
          attempt.finished = true;
          break;
      }
      onMessage(message);
    });
    // Not "close": that waits for the stdio pipes, which a process the bench file started and left
    // running keeps open forever. Once the child is gone its group goes too, then the pipes are read
    // to their end (or dropped after a short grace for a process that left the group).
    child.once("exit", (code: number | null, signal: NodeJS.Signals | null) => {
      if (timer !== undefined) clearTimeout(timer);
      attempt.exitCode = code;
      attempt.signal = signal;
      killGroup(child);
      void afterPipesClose(child, PIPE_GRACE_MS).then(() => {
        attempt.violations = readReport(reportFile);
        resolve(attempt);
      });
    });
    child.on("error", (error) => {
      attempt.stderrTail += `\n${error.message}`;
    });
  });
}

function readReport(file: string): PerformanceViolation[] {
  try {
    const report = JSON.parse(fs.readFileSync(file, "utf8")) as { violations?: unknown };
    return Array.isArray(report.violations) ? (report.violations as PerformanceViolation[]) : [];
  } catch {
    return [];
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const liveChildren = new Set<ChildProcess>();
let signalsHooked = false;

/**
 * A bench process must not outlive the CLI that runs it: once the CLI is gone nothing enforces the timeout,
 * and a hanging bench would spin forever. On SIGTERM/SIGINT/SIGHUP the children are killed, then the
 * signal is raised again so the CLI ends as it would have.
 */
function stopWithParent(child: ChildProcess): void {
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.once(signal, () => {
      for (const running of liveChildren) killGroup(running);
      process.kill(process.pid, signal);
    });
  }
}
