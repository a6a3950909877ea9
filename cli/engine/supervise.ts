/**
 * Process supervision: one bench child (dist/cli/engine/child.js) in a process group of its own,
 * its messages, a timeout re-armed at each bench, its stderr tail, the runtime report it leaves, and
 * the guarantee that it does not outlive the CLI. What the child is asked to measure, and what is
 * done with what it says, is the callers' (run-file.ts, ab/runner.ts).
 */
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterPipesClose, killGroup } from "./process-group";
import { TASK_ENV, type ChildMessage, type ChildTask, type DeclaredBench, type PairTask } from "./protocol";
import type { PerformanceViolation, RunOptions } from "./types";
import { checkRuntimeReport } from "./validate";

/** How long a bench may run without a word from its child (benchmarks.timeoutMs). */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** What one child process did, as far as the parent could see. */
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
  /** The child's runtime report was there but unreadable: its violations are unknown, not none. */
  reportProblem?: string;
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
        const report = readReport(reportFile);
        attempt.violations = report.violations;
        if (report.problem !== undefined) attempt.reportProblem = report.problem;
        resolve(attempt);
      });
    });
    child.on("error", (error) => {
      attempt.stderrTail += `\n${error.message}`;
    });
  });
}

/**
 * The violations the child's runtime recorded. No file is no contracts (a bench that never loads the runtime);
 * a file that is not a runtime report says so, or a run would pass on violations nobody read.
 */
function readReport(file: string): { violations: PerformanceViolation[]; problem?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { violations: [] };
  }
  try {
    return { violations: [...checkRuntimeReport(JSON.parse(text)).violations] };
  } catch (error) {
    return { violations: [], problem: error instanceof Error ? error.message : String(error) };
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
