/** Shared test plumbing: temporary projects that resolve @choragen/perf, and the real bin as a child process. */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** Compiled to dist/test/cli/: the repository is three levels up. */
export const REPO_ROOT = resolve(__dirname, "..", "..", "..");
export const BIN = join(REPO_ROOT, "bin", "choragen.js");
export const FIXTURES = join(REPO_ROOT, "test", "fixtures", "cli");

export interface TempProject {
  readonly dir: string;
  write(relativePath: string, content: string): string;
  cleanup(): void;
}

/**
 * A project in a fresh temporary folder: an optional fixture copied in, the given files written,
 * and node_modules/@choragen/perf linked to this repository so bench files and scripts import it
 * exactly as a user's project would.
 */
export function makeProject(options: { readonly fixture?: string; readonly files?: Readonly<Record<string, string>> } = {}): TempProject {
  const dir = mkdtempSync(join(tmpdir(), "choragen-cli-test-"));
  if (options.fixture !== undefined) cpSync(join(FIXTURES, options.fixture), dir, { recursive: true });
  const write = (relativePath: string, content: string): string => {
    const file = join(dir, relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  };
  write("package.json", JSON.stringify({ name: "choragen-cli-test-project", version: "1.0.0", private: true }, null, 2));
  mkdirSync(join(dir, "node_modules", "@choragen"), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "@choragen", "perf"), "dir");
  for (const [path, content] of Object.entries(options.files ?? {})) write(path, content);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment without the caller's CI and choragen settings, so tests see only what they set. */
function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(CHORAGEN_|GITHUB_|NO_COLOR$|FORCE_COLOR$|NODE_ENV$|NODE_TEST_CONTEXT$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export function choragen(
  cwd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  nodeArgs: readonly string[] = [],
): CliRun {
  const result = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd,
    env: cleanEnv(env),
    encoding: "utf8",
    timeout: 240_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** For assertion messages: everything the CLI said. */
export function transcript(run: CliRun): string {
  return `exit ${String(run.code)}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}
