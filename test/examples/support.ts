/** Shared by the examples tests: paths, and child processes that report everything on failure. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Compiled to dist/test/examples/: the repository is three levels up. */
export const REPO = path.resolve(__dirname, "..", "..", "..");
export const EXAMPLES = path.join(REPO, "examples");
export const BIN = path.join(REPO, "bin", "choragen.js");
export const TSPC = path.join(REPO, "node_modules", "ts-patch", "bin", "tspc.js");

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** For assertion messages: the command and everything it printed. */
  readonly transcript: string;
}

export function run(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}, timeout = 120_000): Run {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, args, {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout,
  });
  const transcript = `$ node ${args.join(" ")}\n(exit ${String(result.status ?? result.signal)})\n${result.stdout}\n${result.stderr}${result.error ? `\n${String(result.error)}` : ""}`;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, transcript };
}

/**
 * ts-patch resolves examples/tsconfig.json's `"@choragen/perf/transformer"` from node_modules (package
 * self-reference does not apply to a require made from ts-patch's own folder), so the repository must be
 * linked into its own node_modules, as npm does for a `"@choragen/perf": "file:."` devDependency and
 * examples/demo.mjs does when the link is missing. Same link, same way.
 */
export function ensureSelfLink(): void {
  const self = path.join(REPO, "node_modules", "@choragen", "perf");
  if (fs.existsSync(path.join(self, "package.json"))) return;
  fs.mkdirSync(path.dirname(self), { recursive: true });
  fs.rmSync(self, { force: true });
  if (process.platform === "win32") fs.symlinkSync(REPO, self, "junction");
  else fs.symlinkSync(path.relative(path.dirname(self), REPO), self, "dir");
}
