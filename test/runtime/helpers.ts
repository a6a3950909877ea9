import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The repository root (this file runs from dist/test/runtime). */
export const repoRoot = resolve(__dirname, "../../..");
export const fixtures = join(repoRoot, "test/fixtures/runtime");

/** Spins for `ms` milliseconds: used only to force a violation against a tiny budget. */
export function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs node with `args`; env entries set to undefined are removed from the child's environment. */
export function runNode(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env["CHORAGEN_PERF_REPORT"];
  delete env["CHORAGEN_PERF_ON_VIOLATION"];
  delete env["NODE_TEST_CONTEXT"];
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/**
 * A scratch folder outside the repository where `@choragen/perf` resolves by name to this checkout,
 * as it would from a user's node_modules. Removed by the returned cleanup.
 */
export function tempProject(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "choragen-perf-runtime-"));
  mkdirSync(join(dir, "node_modules/@choragen"), { recursive: true });
  symlinkSync(repoRoot, join(dir, "node_modules/@choragen/perf"), "dir");
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
