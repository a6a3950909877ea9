import { execFile, execFileSync, type ExecFileException } from "node:child_process";

/** HEAD's commit hash, or undefined outside a git work tree (or before the first commit). */
export function currentCommit(cwd: string): string | undefined {
  try {
    const out = execFileSync("git", ["rev-parse", "--verify", "--quiet", "HEAD"], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5_000,
    });
    const hash = out.trim();
    return /^[0-9a-f]{40,64}$/.test(hash) ? hash : undefined;
  } catch {
    return undefined;
  }
}

export interface GitOutcome {
  readonly ok: boolean;
  readonly stdout: string;
  /** git's own message; when git said nothing (output too large, timed out, git missing), ours. */
  readonly stderr: string;
}

/** Largest output read from git: a baseline file is far smaller (a few hundred KB). */
export const GIT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const GIT_TIMEOUT_MS = 30_000;

export function git(cwd: string, args: readonly string[]): Promise<GitOutcome> {
  return new Promise((resolve) => {
    execFile("git", [...args], { cwd, encoding: "utf8", maxBuffer: GIT_MAX_OUTPUT_BYTES, timeout: GIT_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error === null) return resolve({ ok: true, stdout, stderr });
      resolve({ ok: false, stdout, stderr: stderr.trim() !== "" ? stderr : describeGitFailure(error) });
    });
  });
}

function describeGitFailure(error: ExecFileException): string {
  if (error.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return `git's output is larger than ${GIT_MAX_OUTPUT_BYTES / 1024 / 1024} MB, too large to be a baseline`;
  if (error.code === "ENOENT") return "git is not installed or not on PATH";
  if (error.killed === true) return `git did not answer within ${GIT_TIMEOUT_MS / 1000} s`;
  return error.message;
}
