/**
 * Runs the program after `--` with contracts armed: the runtime sees CHORAGEN_PERF_REPORT and every realm
 * that loads it (process, worker thread, test-runner sandbox) records into `<report>.parts/` as it goes
 * (runtime/journal.ts), so what a worker recorded arrives however it ends. A preload in NODE_OPTIONS
 * notes each Node.js process that starts, so a run that checked nothing can say what did run.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ContractSummary, PerformanceViolation } from "../runtime/types";
import { readParts, type StartedProcess } from "../runtime/parts";
import { readRuntimeReport } from "./collected";
import { CliError } from "./errors";
import type { CommandRun } from "./report/model";

export interface ProgramOutcome {
  readonly run: CommandRun;
  readonly contracts: readonly ContractSummary[];
  readonly violations: readonly PerformanceViolation[];
  /** Node.js processes and threads that started during the run (from the preload). */
  readonly started: readonly StartedProcess[];
}

export interface ProgramOptions {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Send the program's stdout to our stderr, so a JSON or JUnit report on stdout stays parseable. */
  readonly stdoutToStderr: boolean;
  /** `--allow-no-contracts`: a run that arms none passes. */
  readonly allowNoContracts?: boolean;
}

export async function runProgram(options: ProgramOptions): Promise<ProgramOutcome> {
  const [command, ...args] = options.argv;
  if (command === undefined || command === "") throw new CliError("no command given after `--`: e.g. `choragen perf -- npm test`.");
  const dir = mkdtempSync(join(tmpdir(), "choragen-run-"));
  const reportFile = join(dir, "report.json");
  try {
    const started = performance.now();
    const { exitCode, signal } = await spawnInherited(command, args, {
      cwd: options.cwd,
      env: { ...options.env, CHORAGEN_PERF_REPORT: reportFile, NODE_OPTIONS: withPreload(options.env["NODE_OPTIONS"]) },
      stdoutToStderr: options.stdoutToStderr,
    });
    const durationMs = Math.round(performance.now() - started);
    const parts = readParts(`${reportFile}.parts`);
    // A copy of the runtime older than the parts folder writes only the merged file.
    const report = parts.report ?? readRuntimeReport(reportFile);
    const violations = report?.violations ?? [];
    const contracts = report?.contracts ?? [];
    const stored = report?.violations.length ?? 0;
    const total = stored + (report?.droppedViolations ?? 0);
    return {
      run: {
        argv: [...options.argv],
        exitCode,
        signal,
        reportWritten: report !== undefined,
        contracts: contracts.length,
        violations: total,
        durationMs,
        processes: parts.started.length,
        runtimeRealms: parts.realms,
        startedCommands: describeStarted(parts.started),
        ...(options.allowNoContracts === true ? { allowNoContracts: true } : {}),
      },
      contracts,
      violations,
      started: parts.started,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Up to three distinct command lines of the processes that started, shortened to what names them. */
function describeStarted(started: readonly StartedProcess[]): string[] {
  const seen = new Set<string>();
  for (const p of started) {
    const [, script, ...rest] = p.argv;
    const name = [script ? relativeName(script) : "node", ...rest.slice(0, 2)].join(" ");
    seen.add(p.thread > 0 ? `${name} (thread)` : name);
    if (seen.size === 3) break;
  }
  return [...seen];
}

function relativeName(file: string): string {
  const at = file.lastIndexOf("node_modules/");
  return at >= 0 ? file.slice(at + "node_modules/".length) : file;
}

/** Where the preload is: beside this module's runtime, in the same build. */
const PRELOAD = resolve(__dirname, "..", "runtime", "preload.js");

/** NODE_OPTIONS with our preload added to what the user set (a quoted path survives spaces). */
export function withPreload(existing: string | undefined): string {
  const own = `--require ${JSON.stringify(PRELOAD)}`;
  return existing && existing.trim() !== "" ? `${existing} ${own}` : own;
}

interface SpawnResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
}

function spawnInherited(
  command: string,
  args: readonly string[],
  opts: { cwd: string; env: Record<string, string | undefined>; stdoutToStderr: boolean },
): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ["inherit", opts.stdoutToStderr ? process.stderr : "inherit", "inherit"],
      // npm, npx and friends are .cmd shims on Windows, which only a shell can start.
      shell: process.platform === "win32",
    });
    // Ctrl-C reaches the program through the terminal's process group, so we only stay alive to
    // report what it left behind. A SIGTERM (a CI timeout) is sent to us alone: pass it on.
    const ignore = (): void => undefined;
    const forward = (): void => {
      child.kill("SIGTERM");
    };
    process.on("SIGINT", ignore);
    process.on("SIGTERM", forward);
    const done = (): void => {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", forward);
    };
    child.once("error", (error: NodeJS.ErrnoException) => {
      done();
      if (error.code === "ENOENT") reject(new CliError(`cannot run \`${command}\`: command not found (looked in PATH from ${opts.cwd}).`));
      else if (error.code === "EACCES") reject(new CliError(`cannot run \`${command}\`: permission denied.`));
      else reject(new CliError(`cannot run \`${command}\`: ${error.message}.`));
    });
    child.once("close", (exitCode, signal) => {
      done();
      resolve({ exitCode, signal });
    });
  });
}
