/** One `tspc -p <tsconfig>` in a child process, timed from the outside, with TypeScript's own phase timings. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** ts-patch's `tspc`, from this repository's node_modules (the one `npm run bench:self` is about). */
export const TSPC = path.join(REPO_ROOT, "node_modules", "ts-patch", "bin", "tspc.js");

export interface TspcRun {
  /** Wall-clock time of the whole child process: start-up, plugin loading, checking and emitting. */
  readonly wallMs: number;
  /** CPU time (user + system, all threads) the child used: less sensitive to a busy machine than wall time. */
  readonly cpuMs: number;
  /** `--extendedDiagnostics` lines in milliseconds, e.g. "Check time", "transformTime time", "Emit time". */
  readonly phases: ReadonlyMap<string, number>;
}

export interface TspcOptions {
  /** Extra node flags, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
}

/**
 * Runs tspc with `--extendedDiagnostics`; throws with the compiler's output when it fails (a benchmark of a
 * compile that did not work would measure nothing). The environment is cleared of the variables that choose a
 * transformer mode, so the tsconfig's plugin entry alone decides.
 */
export function runTspc(cwd: string, tsconfig: string, options: TspcOptions = {}): TspcRun {
  const cpuDir = fs.mkdtempSync(path.join(os.tmpdir(), "choragen-cpu-"));
  const cpuFile = path.join(cpuDir, "cpu.json");
  const env: NodeJS.ProcessEnv = { ...process.env, CHORAGEN_BENCH_CPU_FILE: cpuFile };
  delete env["CHORAGEN_PERF_MODE"];
  delete env["NODE_ENV"];
  try {
    const args = [...(options.nodeFlags ?? []), "--require", path.join(__dirname, "child-cpu.js"), TSPC, "-p", tsconfig, "--extendedDiagnostics"];
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) {
      throw new Error(`tspc -p ${tsconfig} in ${cwd} exited with ${String(result.status ?? result.signal)}:\n${result.stdout}${result.stderr}`.trimEnd());
    }
    const cpu = JSON.parse(fs.readFileSync(cpuFile, "utf8")) as { userMs: number; systemMs: number };
    return { wallMs, cpuMs: cpu.userMs + cpu.systemMs, phases: parsePhases(result.stdout) };
  } finally {
    fs.rmSync(cpuDir, { recursive: true, force: true });
  }
}

/** `Check time:  9.74s` → ["Check time", 9740]. */
export function parsePhases(diagnostics: string): Map<string, number> {
  const phases = new Map<string, number>();
  for (const match of diagnostics.matchAll(/^(.+?time):\s+([\d.]+)s\s*$/gm)) phases.set(match[1]!.trim(), Number(match[2]) * 1000);
  return phases;
}
