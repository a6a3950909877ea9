import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { prepareWorktree } from "../../cli/engine/ab/worktree";
import { commitAll, git, initRepo, write } from "./git-repo";

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.equal((error as Error).name, "EngineError", `a user error, not a crash: ${(error as Error).stack}`);
    assert.match((error as Error).message, pattern);
    return (error as Error).message;
  }
  assert.fail(`expected an error matching ${pattern}`);
}

function repoWithHistory(): { dir: string; first: string; second: string } {
  const dir = initRepo();
  write(dir, "src/lib.ts", "export const version = 1;\n");
  const first = commitAll(dir, "first");
  write(dir, "src/lib.ts", "export const version = 2;\n");
  const second = commitAll(dir, "second");
  return { dir, first, second };
}

test("--against a ref: its code is checked out under .choragen/cache/ab/, the working tree untouched", async (t) => {
  const { dir, first } = repoWithHistory();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  write(dir, "src/lib.ts", "export const version = 3; // uncommitted: the B side\n");
  git(dir, ["branch", "old", first]);
  const prepared = await prepareWorktree(dir, "old");
  assert.equal(prepared.commit, first);
  assert.ok(prepared.worktree.startsWith(path.join(dir, ".choragen", "cache", "ab") + path.sep));
  assert.equal(prepared.root, prepared.worktree);
  assert.equal(fs.readFileSync(path.join(prepared.root, "src/lib.ts"), "utf8"), "export const version = 1;\n");
  assert.match(fs.readFileSync(path.join(dir, "src/lib.ts"), "utf8"), /version = 3/, "the working tree keeps its uncommitted change");
  assert.equal(prepared.changedLockfiles, undefined);

  // Reused on the next run, moved to where the ref points now; our own compiled output there is not "a change".
  write(prepared.root, ".choragen/cache/bench/out/x.js", "compiled");
  git(dir, ["branch", "-f", "old", "main"]);
  const again = await prepareWorktree(dir, "old");
  assert.equal(again.worktree, prepared.worktree);
  assert.equal(fs.readFileSync(path.join(again.root, "src/lib.ts"), "utf8"), "export const version = 2;\n");
  // HEAD works too (the last commit, against uncommitted changes).
  assert.equal((await prepareWorktree(dir, "HEAD")).commit, git(dir, ["rev-parse", "HEAD"]).trim());
});

test("a ref that does not exist is a clear error with the fix", async (t) => {
  const { dir } = repoWithHistory();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  await rejects(prepareWorktree(dir, "no-such-branch"), /"no-such-branch" is not a branch, tag or commit of this repository.*git fetch origin no-such-branch/);
  await rejects(prepareWorktree(dir, "--upload-pack=evil"), /is not a git ref/);
  assert.equal(fs.existsSync(path.join(dir, ".choragen", "cache", "ab")), false, "nothing is created for a ref that does not exist");
});

test("outside a git repository: a clear error", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "choragen-nogit-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  await rejects(prepareWorktree(dir, "main"), /is not in a git repository/);
});

test("a shallow clone without the ref says how to fetch it; a branch only on origin says to use origin/<name>", async (t) => {
  const { dir, first } = repoWithHistory();
  git(dir, ["branch", "release", first]);
  const clone = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-shallow-")));
  t.after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(clone, { recursive: true, force: true });
  });
  git(clone, ["clone", "-q", "--depth", "1", "--branch", "main", `file://${dir}`, "."]);
  assert.equal(git(clone, ["rev-parse", "--is-shallow-repository"]).trim(), "true");
  await rejects(prepareWorktree(clone, "release"), /shallow.*git fetch --deepen=100 origin release.*fetch-depth: 0/);
  await rejects(prepareWorktree(clone, first), /shallow/);

  const full = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-full-")));
  t.after(() => fs.rmSync(full, { recursive: true, force: true }));
  git(full, ["clone", "-q", `file://${dir}`, "."]);
  await rejects(prepareWorktree(full, "release"), /use --against origin\/release/);
  assert.equal((await prepareWorktree(full, "origin/release")).commit, first);
});

test("a worktree with changes of its own is not overwritten: the error names the files and the fix", async (t) => {
  const { dir, first } = repoWithHistory();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const prepared = await prepareWorktree(dir, first);
  write(prepared.root, "src/lib.ts", "export const version = 42; // someone's edit\n");
  const message = await rejects(prepareWorktree(dir, first), /uncommitted changes \(src\/lib\.ts\).*git worktree remove --force/);
  assert.ok(message.includes(prepared.worktree));
  assert.match(fs.readFileSync(path.join(prepared.root, "src/lib.ts"), "utf8"), /42/, "the edit is still there");

  // A folder in the way that is not a worktree at all.
  const other = await prepareWorktree(dir, "main");
  fs.rmSync(other.worktree, { recursive: true, force: true });
  fs.mkdirSync(path.join(other.worktree, "junk"), { recursive: true });
  await rejects(prepareWorktree(dir, "main"), /is in the way.*not a worktree of this repository.*rm -rf/);
  // A worktree folder deleted by hand is recreated (its stale registration is pruned).
  fs.rmSync(other.worktree, { recursive: true, force: true });
  assert.equal((await prepareWorktree(dir, "main")).worktree, other.worktree);
});

test("a project in a subfolder of the repository: its root inside the worktree; a changed lockfile is noted", async (t) => {
  const dir = initRepo();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  write(dir, "packages/app/package.json", "{}\n");
  write(dir, "packages/app/package-lock.json", '{"lockfileVersion":3}\n');
  commitAll(dir, "app");
  write(dir, "packages/app/package-lock.json", '{"lockfileVersion":3,"packages":{"x":{}}}\n');
  const prepared = await prepareWorktree(path.join(dir, "packages", "app"), "main");
  assert.equal(prepared.root, path.join(prepared.worktree, "packages", "app"));
  assert.ok(prepared.worktree.startsWith(path.join(dir, "packages", "app", ".choragen", "cache", "ab")));
  assert.deepEqual(prepared.changedLockfiles, ["package-lock.json"]);
});
