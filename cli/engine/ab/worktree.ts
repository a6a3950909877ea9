/**
 * The "A" side of `perf:bench --against <ref>`: the code of a git ref, checked out in a worktree of
 * the project's repository under `.choragen/cache/ab/`. The worktree is kept between runs (moving
 * it to another commit is a cheap checkout) and never edited by us; one that has changes of its own
 * is somebody's work, so it is an error, not something to overwrite.
 *
 * Dependencies are the project's: the worktree lies inside the project, so module resolution from
 * it walks up to the project's `node_modules` (nothing is installed for the ref). A dependency
 * change is therefore measured against today's dependencies; `changedLockfiles` names the lockfiles
 * that differ, so the report can say so.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cacheDir } from "../paths";
import { EngineError } from "../types";

export interface PreparedRef {
  /** The ref as given. */
  readonly ref: string;
  /** The commit it names. */
  readonly commit: string;
  /** The worktree's top folder (absolute). */
  readonly worktree: string;
  /** The project root inside the worktree (the same folder relative to the repository's top). */
  readonly root: string;
  /** The lockfiles that differ at the ref (none: absent): the A side runs with today's dependencies all the same. */
  readonly changedLockfiles?: readonly string[];
}

interface GitRun {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** A checkout of a large repository can take a while; 5 minutes, not the 30 s of quick queries. */
function runGit(cwd: string, args: readonly string[], timeout = 300_000): Promise<GitRun> {
  return new Promise((resolve) => {
    // No hooks: a post-checkout hook of the project (husky, lint-staged) has no business running for a cache.
    execFile("git", ["-c", `core.hooksPath=${os.devNull}`, ...args], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout, env: gitEnv() }, (error, stdout, stderr) => {
      resolve({ ok: error === null, stdout, stderr });
    });
  });
}

/**
 * Git's own variables point a command at one repository whatever its cwd (a hook runs us with GIT_DIR
 * set): each command here must act on the folder it is run in, the worktree included.
 */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0" };
  for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR"]) delete env[name];
  return env;
}

const LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock"];

/** Folder name of the worktree for a ref: readable, and unique per ref. */
export function worktreeName(ref: string): string {
  const readable = ref.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+/, "").slice(0, 40);
  return `${readable || "ref"}-${createHash("sha256").update(ref).digest("hex").slice(0, 8)}`;
}

export const abCacheDir = (root: string): string => path.join(cacheDir(root), "ab");

/** What we write into the worktree ourselves (compiled bench files); not a change of anybody's. */
const OWN_PATHS = /^(?:.*\/)?\.choragen\/(?:cache|results)\//;

export async function prepareWorktree(projectRoot: string, ref: string): Promise<PreparedRef> {
  if (ref === "" || ref.startsWith("-") || /[\0\n]/.test(ref)) {
    throw new EngineError(`--against ${JSON.stringify(ref)} is not a git ref: give a branch, tag or commit, e.g. --against main`, undefined, "ref-missing");
  }
  const top = await runGit(projectRoot, ["rev-parse", "--show-toplevel"], 30_000);
  if (!top.ok) {
    throw new EngineError(`--against ${ref} measures the code of a git ref beside the working tree, but ${projectRoot} is not in a git repository`, undefined, "ref-missing");
  }
  const toplevel = fs.realpathSync(top.stdout.trim());
  const commit = await resolveCommit(toplevel, ref);
  const worktree = path.join(abCacheDir(projectRoot), worktreeName(ref));
  await checkOut(toplevel, worktree, commit, ref);
  const inside = path.relative(toplevel, fs.realpathSync(projectRoot));
  const root = path.join(worktree, inside);
  if (!fs.existsSync(root)) {
    throw new EngineError(`the project folder ${inside.split(path.sep).join("/")} does not exist at ${ref} (${commit.slice(0, 12)}): nothing to measure there`, undefined, "ref-missing");
  }
  const changed = changedLockfiles(projectRoot, root);
  return { ref, commit, worktree, root, ...(changed.length === 0 ? {} : { changedLockfiles: changed }) };
}

async function resolveCommit(toplevel: string, ref: string): Promise<string> {
  const found = await runGit(toplevel, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], 30_000);
  const commit = found.stdout.trim();
  if (found.ok && /^[0-9a-f]{40,64}$/.test(commit)) return commit;
  const shallow = (await runGit(toplevel, ["rev-parse", "--is-shallow-repository"], 30_000)).stdout.trim() === "true";
  const remote = await runGit(toplevel, ["rev-parse", "--verify", "--quiet", "--end-of-options", `refs/remotes/origin/${ref}^{commit}`], 30_000);
  const quoted = JSON.stringify(ref);
  if (remote.ok && remote.stdout.trim() !== "") {
    throw new EngineError(`${quoted} is not a local branch, tag or commit, but origin/${ref} is: use --against origin/${ref}`, undefined, "ref-missing");
  }
  if (shallow) {
    throw new EngineError(
      `${quoted} is not in this clone, which is shallow (only the latest commits were fetched). Fetch it: \`git fetch --deepen=100 origin ${ref}\` ` +
        `(or \`git fetch --unshallow\`); in GitHub Actions, check out with \`fetch-depth: 0\``,
      undefined,
      "ref-missing",
    );
  }
  throw new EngineError(`${quoted} is not a branch, tag or commit of this repository; check the name, or fetch it first: \`git fetch origin ${ref}\``, undefined, "ref-missing");
}

async function registeredWorktrees(toplevel: string): Promise<string[]> {
  const list = await runGit(toplevel, ["worktree", "list", "--porcelain"], 30_000);
  return list.stdout
    .split("\n")
    .filter((line) => line.startsWith("worktree "))
    .map((line) => line.slice("worktree ".length))
    .map((p) => (fs.existsSync(p) ? fs.realpathSync(p) : p));
}

async function checkOut(toplevel: string, worktree: string, commit: string, ref: string): Promise<void> {
  const shown = worktree;
  if (fs.existsSync(worktree)) {
    const real = fs.realpathSync(worktree);
    // Registered is not enough: a worktree whose .git file was deleted is still listed, and git run in
    // it would act on the repository around it (the project's own working tree).
    const ownTop = await runGit(worktree, ["rev-parse", "--show-toplevel"], 30_000);
    const isTop = ownTop.ok && fs.existsSync(ownTop.stdout.trim()) && fs.realpathSync(ownTop.stdout.trim()) === real;
    if (!isTop || !(await registeredWorktrees(toplevel)).includes(real)) {
      throw new EngineError(
        `${shown} is in the way of the worktree for --against ${ref}: it exists but is not a worktree of this repository. It is a cache folder: remove it (\`rm -rf ${shown}\`) and run again`,
        undefined,
        "ref-missing",
      );
    }
    const status = await runGit(worktree, ["status", "--porcelain", "--untracked-files=all"], 60_000);
    const changed = status.stdout
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => line.slice(3))
      .filter((file) => !OWN_PATHS.test(file));
    if (!status.ok || changed.length > 0) {
      const what = changed.length > 0 ? `uncommitted changes (${changed.slice(0, 3).join(", ")}${changed.length > 3 ? ", …" : ""})` : "a state git cannot read";
      throw new EngineError(
        `the worktree for --against ${ref} at ${shown} has ${what}, which choragen did not make and will not overwrite. ` +
          `If they are not needed, remove it: \`git worktree remove --force ${shown}\`, then run again`,
        undefined,
        "ref-missing",
      );
    }
    const moved = await runGit(worktree, ["checkout", "--quiet", "--detach", commit]);
    if (!moved.ok) throw new EngineError(`cannot check out ${ref} (${commit.slice(0, 12)}) in ${shown}: ${moved.stderr.trim()}`, undefined, "ref-missing");
    return;
  }
  fs.mkdirSync(path.dirname(worktree), { recursive: true });
  // A worktree folder deleted by hand leaves its registration behind, and git refuses to add it again.
  await runGit(toplevel, ["worktree", "prune"], 30_000);
  const added = await runGit(toplevel, ["worktree", "add", "--quiet", "--detach", worktree, commit]);
  if (!added.ok) throw new EngineError(`cannot check out ${ref} (${commit.slice(0, 12)}) into ${shown}: ${added.stderr.trim()}`, undefined, "ref-missing");
}

function changedLockfiles(projectRoot: string, refRoot: string): string[] {
  return LOCKFILES.filter((name) => readOptional(path.join(projectRoot, name)) !== readOptional(path.join(refRoot, name)));
}

function readOptional(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
