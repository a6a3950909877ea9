import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { baselineFileName, baselinePath, loadBaselines, saveBaselines } from "../../cli/engine/baselines";
import { baselinesDir } from "../../cli/engine/paths";
import { EngineError, type BenchResult, type RunResults } from "../../cli/engine/types";
import { fixturesDir, packageRoot } from "./helpers";

const machine = { node: "v20.0.0", cpu: "Test CPU", cores: 2, arch: "x64", os: "linux 6" };

function results(file: string, ids: string[], p50 = 100, filter?: string): RunResults {
  const list: BenchResult[] = ids.map((id) => ({
    file,
    name: id,
    id,
    budget: { p50: { max: 1, unit: "ms" } },
    stats: { p50, p75: p50, p99: p50, min: p50, max: p50, mean: p50, samples: 3, sampleSet: [p50, p50, p50] },
  }));
  return { schemaVersion: 1, createdAt: "2024-01-01T00:00:00.000Z", machine, quick: false, ...(filter ? { filter } : {}), results: list, fileFailures: [], violations: [] };
}

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "choragen-baselines-"));
}

test("baseline names: / becomes __ and nothing can escape the baselines folder", () => {
  assert.equal(baselineFileName("benchmarks/parse/json.bench.ts"), "benchmarks__parse__json.bench.ts.json");
  for (const evil of ["../../etc/passwd", "..", ".", "/abs/x.ts", "a/../../b", "..\\..\\win", ".hidden", ""]) {
    const name = baselineFileName(evil);
    assert.ok(!name.includes("/") && !name.includes("\\") && !name.startsWith("."), `${evil} → ${name}`);
  }
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (file) => {
      const root = "/tmp/project";
      const full = baselinePath(root, file);
      return path.dirname(full) === baselinesDir(root) && path.basename(full).length <= 200;
    }),
  );
});

test("save and load round-trip; budgets are not stored; other files are kept", async () => {
  const root = tempRoot();
  try {
    const written = saveBaselines(root, results("benchmarks/a.bench.ts", ["x", "y"]));
    saveBaselines(root, results("benchmarks/b.bench.ts", ["z"]));
    assert.deepEqual(written.map((w) => path.basename(w)), ["benchmarks__a.bench.ts.json"]);
    const loaded = await loadBaselines(root);
    assert.equal(loaded.source, "working tree");
    assert.deepEqual(loaded.files.map((f) => f.file), ["benchmarks/a.bench.ts", "benchmarks/b.bench.ts"]);
    assert.deepEqual(loaded.files[0]!.results.map((r) => r.id), ["x", "y"]);
    assert.equal(loaded.files[0]!.results[0]!.budget, undefined);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("quick-mode results are refused as baselines", () => {
  const root = tempRoot();
  try {
    assert.throws(() => saveBaselines(root, { ...results("a.bench.ts", ["x"]), quick: true }), (e: unknown) => e instanceof EngineError && e.code === "quick-results");
    assert.equal(fs.existsSync(baselinesDir(root)), false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a filtered save updates only the benches it measured", async () => {
  const root = tempRoot();
  try {
    saveBaselines(root, results("a.bench.ts", ["x", "y"], 100));
    saveBaselines(root, results("a.bench.ts", ["y"], 200, "y"));
    const file = (await loadBaselines(root)).files[0]!;
    assert.deepEqual(file.results.map((r) => [r.id, r.stats?.p50]), [["x", 100], ["y", 200]]);
    saveBaselines(root, results("a.bench.ts", ["y"], 300));
    assert.deepEqual((await loadBaselines(root)).files[0]!.results.map((r) => r.id), ["y"]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a corrupt or foreign baseline is a clear error naming the file", async () => {
  const root = tempRoot();
  try {
    fs.mkdirSync(baselinesDir(root), { recursive: true });
    fs.writeFileSync(path.join(baselinesDir(root), "x.json"), "{ nope");
    await assert.rejects(loadBaselines(root), (e: unknown) => e instanceof EngineError && /\.choragen\/baselines\/x\.json is not valid JSON/.test(e.message));
    fs.writeFileSync(path.join(baselinesDir(root), "x.json"), JSON.stringify({ schemaVersion: 7, file: "x" }));
    await assert.rejects(loadBaselines(root), (e: unknown) => e instanceof EngineError && /newer @choragen\/perf/.test(e.message));
    fs.writeFileSync(path.join(baselinesDir(root), "x.json"), JSON.stringify({ ...results("x", ["a"]), file: "x", results: [{ file: "x", name: "a", id: "a", stats: { p50: "fast" } }] }));
    await assert.rejects(loadBaselines(root), (e: unknown) => e instanceof EngineError && /results\[0\]\.stats\.p50: expected a number, found "fast"/.test(e.message));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
}

test("baselines are read from a git ref, also from a sub-folder project and via origin/<ref>", async () => {
  const repo = tempRoot();
  try {
    const root = path.join(repo, "packages", "app");
    fs.mkdirSync(root, { recursive: true });
    gitIn(repo, "init", "-q", "-b", "main");
    saveBaselines(root, results("bench/a.bench.ts", ["x"], 111));
    gitIn(repo, "add", ".");
    gitIn(repo, "commit", "-q", "-m", "baseline");
    // The working tree moves on; the ref still has the committed one.
    saveBaselines(root, results("bench/a.bench.ts", ["x"], 999));
    const fromRef = await loadBaselines(root, { ref: "main" });
    assert.equal(fromRef.source, "git main");
    assert.equal(fromRef.files[0]?.results[0]?.stats?.p50, 111);
    gitIn(repo, "update-ref", "refs/remotes/origin/trunk", "HEAD");
    assert.equal((await loadBaselines(root, { ref: "trunk" })).source, "git origin/trunk");
    await assert.rejects(loadBaselines(root, { ref: "nope" }), (e: unknown) => e instanceof EngineError && e.code === "ref-missing" && /git ref "nope" not found/.test(e.message));
    await assert.rejects(loadBaselines(root, { ref: "--upload-pack=x" }), (e: unknown) => e instanceof EngineError && e.code === "ref-missing");
    const emptyTree = execFileSync("git", ["mktree"], { cwd: repo, input: "", encoding: "utf8" }).trim();
    const emptyCommit = gitIn(repo, "commit-tree", emptyTree, "-m", "empty").trim();
    gitIn(repo, "update-ref", "refs/heads/empty", emptyCommit);
    await assert.rejects(loadBaselines(root, { ref: "empty" }), (e: unknown) => e instanceof EngineError && e.code === "baselines-missing" && /--save-baseline/.test(e.message));
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
});

test("outside a git repository, asking for a ref is a clear error", async () => {
  const root = tempRoot();
  try {
    await assert.rejects(loadBaselines(root, { ref: "main" }), (e: unknown) => e instanceof EngineError && /not inside a git repository|not found/.test(e.message));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a save killed at any moment leaves the old baseline intact and valid (20 kills)", async () => {
  const root = tempRoot();
  try {
    saveBaselines(root, results("benchmarks/a.bench.ts", ["original"], 1));
    const engineDir = path.join(packageRoot, "dist", "cli", "engine");
    for (let i = 0; i < 20; i++) {
      const child = spawn(process.execPath, [path.join(fixturesDir, "save-loop.js"), engineDir, root], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      // Let it write a varying number of times, then kill it without warning.
      await new Promise((resolve) => setTimeout(resolve, 5 + ((i * 37) % 60)));
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      const loaded = await loadBaselines(root);
      assert.equal(loaded.files.length, 1);
      const ids = loaded.files[0]!.results.map((r) => r.id);
      assert.ok(ids.length === 1 ? ids[0] === "original" : ids.length === 60, `iteration ${i}: ${ids.length} results`);
    }
    // Killed writers leave temp files behind; they are hidden and never read as baselines.
    assert.ok(fs.readdirSync(baselinesDir(root)).every((n) => n === "benchmarks__a.bench.ts.json" || (n.startsWith(".") && n.endsWith(".tmp"))));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
