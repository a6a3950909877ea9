/**
 * Plumbing for the CLI reliability suite (cli-*.test.ts): a temporary project inside a private outer
 * folder (so writes next to the project and to the child's TMPDIR can be seen too), the real bin as
 * a child process, and snapshots of whole trees (path, kind, size, mtime, sha1) to prove that a
 * command touched nothing but the files it is documented to write.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mulberry32 } from "../../cli/engine/statistics";

/** Compiled to dist/test/reliability/: the repository is three levels up. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
export const BIN = path.join(REPO_ROOT, "bin", "choragen.js");
export const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "reliability-cli");

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `outer/` holds `project/` (the project, with node_modules/@choragen/perf linked to this repository),
 * `tmp/` (TMPDIR of every command run here, so its temporary files are ours to inspect) and `beside/`
 * (an unrelated folder next to the project: nothing may ever be written there).
 */
export class Sandbox {
  readonly outer: string;
  readonly dir: string;
  readonly tmp: string;
  readonly beside: string;

  constructor(files: Readonly<Record<string, string>> = {}, fixture?: string) {
    this.outer = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-rel-cli-")));
    this.dir = path.join(this.outer, "project");
    this.tmp = path.join(this.outer, "tmp");
    this.beside = path.join(this.outer, "beside");
    fs.mkdirSync(this.tmp, { recursive: true });
    fs.mkdirSync(this.beside, { recursive: true });
    fs.writeFileSync(path.join(this.beside, "keep.txt"), "not the project's\n");
    if (fixture !== undefined) fs.cpSync(path.join(FIXTURES, fixture), this.dir, { recursive: true });
    fs.mkdirSync(path.join(this.dir, "node_modules", "@choragen"), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(this.dir, "node_modules", "@choragen", "perf"), "dir");
    if (!fs.existsSync(path.join(this.dir, "package.json"))) {
      this.write("package.json", JSON.stringify({ name: "choragen-reliability-cli", version: "1.0.0", private: true }, null, 2) + "\n");
    }
    for (const [file, text] of Object.entries(files)) this.write(file, text);
  }

  path(relative: string): string {
    return path.join(this.dir, relative);
  }

  write(relative: string, content: string | Buffer): string {
    const file = this.path(relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  }

  read(relative: string): string {
    return fs.readFileSync(this.path(relative), "utf8");
  }

  /** Copies files of another sandbox's project (e.g. results and baselines made once by a real run). */
  copyFrom(other: Sandbox, relatives: readonly string[]): void {
    for (const rel of relatives) this.write(rel, fs.readFileSync(other.path(rel)));
  }

  env(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    return cleanEnv({ TMPDIR: this.tmp, TMP: this.tmp, TEMP: this.tmp, ...extra });
  }

  run(
    args: readonly string[],
    options: { readonly cwd?: string; readonly env?: Readonly<Record<string, string>>; readonly nodeArgs?: readonly string[] } = {},
  ): CliRun {
    const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      cwd: options.cwd ?? this.dir,
      env: this.env(options.env),
      encoding: "utf8",
      timeout: 120_000,
    });
    if (result.error) throw result.error;
    return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
  }

  /**
   * `perf:bench --save-baseline`: in quick mode when the CLI accepts `--quick --save-baseline`
   * (docs/cli.md says it may; cli/actions/bench.ts refuses it at the time of writing), else in
   * standard mode, which only takes longer.
   */
  saveBaselines(extra: readonly string[] = []): CliRun & { readonly quick: boolean } {
    const quick = this.run(["perf:bench", "--quick", "--save-baseline", ...extra]);
    if (quick.code === 2 && /quick/.test(quick.stderr)) return { ...this.run(["perf:bench", "--save-baseline", ...extra]), quick: false };
    return { ...quick, quick: true };
  }

  /** The bin started without waiting, for tests that signal it. */
  start(args: readonly string[]): ChildProcess {
    return spawn(process.execPath, [BIN, ...args], { cwd: this.dir, env: this.env(), stdio: ["ignore", "pipe", "pipe"] });
  }

  git(...args: string[]): string {
    const result = spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", ...args], {
      cwd: this.dir,
      encoding: "utf8",
      env: cleanEnv({}),
    });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
  }

  remove(): void {
    fs.rmSync(this.outer, { recursive: true, force: true });
  }
}

/** The caller's environment without CI, git and choragen settings, so a test sees only what it sets. */
function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(CHORAGEN_|GITHUB_|GIT_|NO_COLOR$|FORCE_COLOR$|NODE_ENV$|NODE_TEST_CONTEXT$|NODE_OPTIONS$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export function transcript(run: CliRun): string {
  return `exit ${String(run.code)}${run.signal ? ` (${run.signal})` : ""}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

export interface Entry {
  readonly kind: "file" | "dir" | "symlink" | "other";
  readonly size: number;
  readonly mtimeMs: number;
  /** sha1 of a file's content, the target of a symlink, "" otherwise. */
  readonly digest: string;
}

/** Every entry under `root` (not following symlinks), keyed by `/`-separated relative path. */
export function snapshot(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full).split(path.sep).join("/");
      const st = fs.lstatSync(full);
      if (st.isSymbolicLink()) {
        out.set(rel, { kind: "symlink", size: st.size, mtimeMs: st.mtimeMs, digest: fs.readlinkSync(full) });
      } else if (st.isDirectory()) {
        out.set(rel, { kind: "dir", size: 0, mtimeMs: 0, digest: "" });
        walk(full);
      } else if (st.isFile()) {
        out.set(rel, { kind: "file", size: st.size, mtimeMs: st.mtimeMs, digest: createHash("sha1").update(fs.readFileSync(full)).digest("hex") });
      } else {
        out.set(rel, { kind: "other", size: st.size, mtimeMs: st.mtimeMs, digest: "" });
      }
    }
  };
  walk(root);
  return out;
}

export interface Change {
  readonly path: string;
  readonly how: "added" | "removed" | "changed";
}

export function changes(before: ReadonlyMap<string, Entry>, after: ReadonlyMap<string, Entry>): Change[] {
  const out: Change[] = [];
  for (const [p, a] of after) {
    const b = before.get(p);
    if (b === undefined) out.push({ path: p, how: "added" });
    else if (b.kind !== a.kind || b.size !== a.size || b.mtimeMs !== a.mtimeMs || b.digest !== a.digest) out.push({ path: p, how: "changed" });
  }
  for (const p of before.keys()) if (!after.has(p)) out.push({ path: p, how: "removed" });
  return out.sort((x, y) => x.path.localeCompare(y.path));
}

/**
 * What a command may write: path prefixes relative to the project (a prefix ending in "/" covers a
 * folder and everything in it, and the folder itself; otherwise the exact path).
 */
export const WRITES = {
  /** The config cache and the bench compile cache: any command that loads a config or compiles. */
  cache: [".choragen", ".choragen/cache/", ".choragen/cache"],
  results: [".choragen/results/latest.json", ".choragen/results"],
  baselines: [".choragen/baselines/", ".choragen/baselines"],
} as const;

export function allowedBy(prefixes: readonly string[]): (p: string) => boolean {
  return (p) => prefixes.some((prefix) => (prefix.endsWith("/") ? p.startsWith(prefix) : p === prefix));
}

/** Asserts that only allowed paths changed, and returns the changes (for further checks). */
export function assertOnlyTouched(before: ReadonlyMap<string, Entry>, after: ReadonlyMap<string, Entry>, allowed: readonly string[], context: string): Change[] {
  const all = changes(before, after);
  const isAllowed = allowedBy(allowed);
  const stray = all.filter((c) => !isAllowed(c.path));
  assert.deepEqual(stray, [], `files touched that the command must leave alone:\n${stray.map((c) => `  ${c.how} ${c.path}`).join("\n")}\n${context}`);
  return all;
}

/** A stack frame line: what a user error must never show (without --verbose). */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

/**
 * A user error: the expected exit code, every `mentions` pattern in stderr (the file, the field),
 * one message, no stack trace, no "internal error" (which would mean the CLI crashed on the input).
 */
export function assertUserError(run: CliRun, code: number, mentions: readonly (string | RegExp)[]): void {
  const text = transcript(run);
  assert.equal(run.code, code, `expected exit ${code}\n${text}`);
  assert.equal(run.signal, null, text);
  assert.doesNotMatch(run.stderr, STACK_FRAME, `a stack trace was printed\n${text}`);
  assert.doesNotMatch(run.stderr, /internal error|this is a bug in choragen/, `the CLI crashed on the input instead of explaining it\n${text}`);
  for (const m of mentions) {
    if (typeof m === "string") assert.ok(run.stderr.includes(m), `stderr should mention ${JSON.stringify(m)}\n${text}`);
    else assert.match(run.stderr, m, text);
  }
}

/** Same as assertUserError, for a failed check (exit 1) whose report is on stdout. */
export function assertFailedCheck(run: CliRun, mentions: readonly (string | RegExp)[]): void {
  const text = transcript(run);
  assert.equal(run.code, 1, `expected exit 1 (a failed check)\n${text}`);
  assert.doesNotMatch(run.stdout + run.stderr, /internal error|this is a bug in choragen/, text);
  assert.doesNotMatch(run.stderr, STACK_FRAME, `a stack trace was printed\n${text}`);
  for (const m of mentions) {
    if (typeof m === "string") assert.ok(run.stdout.includes(m), `the report should mention ${JSON.stringify(m)}\n${text}`);
    else assert.match(run.stdout, m, text);
  }
}

/** A seeded generator, so a failing sequence of delays can be replayed. */
export const seededRandom = mulberry32;

/** The seed from `env` when set (to replay), else a fresh one; printed by the caller. */
export function seedFrom(env: string): number {
  const given = process.env[env];
  if (given !== undefined && /^\d+$/.test(given)) return Number(given);
  return Math.floor(Math.random() * 2 ** 31);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A bench file that records the pid of the process it runs in (a file named by the pid under
 * `pidDir`), so a test can tell whether bench processes outlive the CLI. `benches` maps names to
 * bodies. The project has no @types/node: the bits of node it uses are declared here.
 */
export function pidRecordingBench(pidDir: string, benches: Readonly<Record<string, string>>): string {
  const lines = [
    'import { bench, do_not_optimize } from "@choragen/perf/bench";',
    "declare const process: { readonly pid: number };",
    "declare const require: (id: string) => { mkdirSync(p: string, o: object): void; writeFileSync(p: string, d: string): void };",
    'const fs = require("node:fs");',
    `fs.mkdirSync(${JSON.stringify(pidDir)}, { recursive: true });`,
    `fs.writeFileSync(${JSON.stringify(pidDir)} + "/" + String(process.pid), "");`,
    "void do_not_optimize;",
  ];
  for (const [name, body] of Object.entries(benches)) lines.push(`bench(${JSON.stringify(name)}, () => { ${body} });`);
  return lines.join("\n") + "\n";
}

/** Pids recorded by pidRecordingBench. */
export function recordedPids(pidDir: string): number[] {
  try {
    return fs.readdirSync(pidDir).filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}
