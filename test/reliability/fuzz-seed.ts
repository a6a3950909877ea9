import { execFileSync } from "node:child_process";
import { fnv1aHex } from "../../runtime/hash";
import { caseSeed } from "./fuzz-grammar";
import { REPO_ROOT } from "../support/project";

/**
 * A fuzz run's seed: CHORAGEN_FUZZ_SEED, else one fixed by the commit under test, else by the CI run's id, else
 * by the UTC day. Fixed by the commit first, so CI runs the cases `npm test` ran at the same commit here: a
 * seed of the day let CI (run on another day) find a bug no local run had tried, and a CI log's tail did not
 * say which. Each new commit still tries new cases.
 */
export function runSeedOf(env: NodeJS.ProcessEnv, now: Date, commit: string | undefined): { seed: number; from: string } {
  const given = env["CHORAGEN_FUZZ_SEED"];
  if (given !== undefined && given !== "") {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`CHORAGEN_FUZZ_SEED must be an integer from 0 to 4294967295, found ${JSON.stringify(given)}`);
    return { seed, from: "CHORAGEN_FUZZ_SEED" };
  }
  const run = env["GITHUB_RUN_ID"] || env["CI_PIPELINE_ID"];
  const key = commit !== undefined ? `commit ${commit}` : run ? `run ${run}` : `day ${now.toISOString().slice(0, 10)}`;
  return { seed: caseSeed(Number.parseInt(fnv1aHex(key), 16), 0), from: key };
}

/** The repository's HEAD commit, or undefined outside a git checkout (an unpacked tarball). */
export function headCommit(): string | undefined {
  try {
    const sha = execFileSync("git", ["rev-parse", "--verify", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** The seed of this process's run, as both fuzz tests use it. */
export function currentRunSeed(): { seed: number; from: string } {
  return runSeedOf(process.env, new Date(), headCommit());
}
