/**
 * Runs the program after `--` with contracts armed: the runtime sees CHORAGEN_PERF_REPORT and writes
 * its report there at exit (every process of a test runner merges into the same file).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContractSummary, PerformanceViolation } from "../runtime/types";
import { readRuntimeReport } from "./collected";
import { CliError } from "./errors";
import type { CommandRun } from "./report/model";

export interface ProgramOutcome {
  readonly run: CommandRun;
  readonly contracts: readonly ContractSummary[];
  readonly violations: readonly PerformanceViolation[];
}

export interface ProgramOptions {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Send the program's stdout to our stderr, so a JSON or JUnit report on stdout stays parseable. */
  readonly stdoutToStderr: boolean;
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
      env: { ...options.env, CHORAGEN_PERF_REPORT: reportFile },
      stdoutToStderr: options.stdoutToStderr,
    });
    const durationMs = Math.round(performance.now() - started);
    const report = readRuntimeReport(reportFile);
    const violations = report?.violations ?? [];
    const contracts = report?.contracts ?? [];
    return {
      run: {
        argv: [...options.argv],
        exitCode,
        signal,
        reportWritten: report !== undefined,
        contracts: contracts.length,
        violations: violations.length,
        durationMs,
      },
      contracts,
      violations,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
