/**
 * `--against <ref>` end to end, through the real bin on a real git repository: a 50% slowdown
 * committed on a branch is caught against main, an unchanged branch passes, a bench on one side only
 * is new or removed, and the user's mistakes are clear errors.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { commitAll, git, initRepo } from "../engine/git-repo";
import { choragen, makeProject, transcript, type TempProject } from "./helpers";

/** A loop whose cost is linear in SIZE: 200 → 300 is a 50% slowdown. */
const work = (size: number): string => `export const SIZE = ${size};
export function work(): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < SIZE; i++) h = Math.imul(h ^ i, 0x01000193);
  return h >>> 0;
}
`;
const steady = `export function steady(): number {
  let s = 0;
  for (let i = 0; i < 150; i++) s = (s + i * 31) | 0;
  return s;
}
`;
const benchFile = (extra: string): string => `import { bench, do_not_optimize } from "@choragen/perf/bench";
import { work } from "../src/work";
import { steady } from "../src/steady";
bench("work", () => do_not_optimize(work()));
bench("steady", () => do_not_optimize(steady()));
${extra}`;

function repoProject(): TempProject {
  const project = makeProject({ files: { "src/work.ts": work(200), "src/steady.ts": steady, "benchmarks/w.bench.ts": benchFile('bench("gone", () => do_not_optimize(steady()));\n') } });
  initRepo(project.dir);
  commitAll(project.dir, "base");
  return project;
}

interface JsonReport {
  readonly passed: boolean;
  readonly benches: readonly { readonly id: string; readonly comparison?: { readonly verdict: string; readonly changePct: number; readonly changeCi?: readonly [number, number]; readonly paired?: { readonly rounds: number; readonly stop: string } } }[];
  readonly warnings: readonly string[];
  readonly against?: { readonly ref: string; readonly processes: number; readonly benches: readonly { readonly id: string; readonly sides: string; readonly rounds: number; readonly stop: string }[] };
}

const verdicts = (report: JsonReport): Record<string, string | undefined> => Object.fromEntries(report.benches.map((b) => [b.id, b.comparison?.verdict]));

test("a 50% slowdown committed on a branch is caught by --against main; a bench new on the branch is new, one gone from it is reported removed; perf:check re-judges with today's threshold", async (t) => {
  const project = repoProject();
  t.after(() => project.cleanup());
  git(project.dir, ["checkout", "-q", "-b", "slow"]);
  project.write("src/work.ts", work(300));
  project.write("benchmarks/w.bench.ts", benchFile('bench("fresh", () => do_not_optimize(steady()));\n'));
  commitAll(project.dir, "slower work, a new bench, one removed");

  const run = choragen(project.dir, ["perf:bench", "--against", "main", "--reporter", "json"]);
  assert.equal(run.code, 1, transcript(run));
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.deepEqual(verdicts(report), { work: "regression", steady: "unchanged", fresh: "new" }, transcript(run));
  const slowed = report.benches.find((b) => b.id === "work")!.comparison!;
  assert.ok(slowed.changeCi !== undefined && slowed.changeCi[0] > 10, `interval ${JSON.stringify(slowed.changeCi)}`);
  assert.ok(slowed.changePct > 25 && slowed.changePct < 80, `change ${slowed.changePct}`);
  assert.equal(slowed.paired?.stop, "settled", "a clear case stops early");
  assert.equal(slowed.paired?.rounds, 6, "a 50% slowdown is clear at the first chance");
  const stored = JSON.parse(readFileSync(join(project.dir, ".choragen/results/latest.json"), "utf8")) as { against: { benches: { id: string; differences?: number[]; fastA: number[] }[] } };
  const workRounds = stored.against.benches.find((b) => b.id === "work")!;
  assert.equal(workRounds.differences?.length, workRounds.fastA.length, "one difference per round is stored for perf:check");
  assert.ok(report.warnings.some((w) => /^gone \(benchmarks\/w\.bench\.ts\): removed since main/.test(w)), report.warnings.join("\n"));
  assert.deepEqual(report.against?.benches.map((b) => [b.id, b.sides]), [["work", "both"], ["steady", "both"], ["fresh", "B"], ["gone", "A"]]);

  // perf:check judges the A/B results like any other, on the stored rounds, with the threshold as it is now.
  const check = choragen(project.dir, ["perf:check"]);
  assert.equal(check.code, 1, transcript(check));
  assert.match(check.stdout, /Side by side against main \([0-9a-f]{12}\)/);
  assert.match(check.stdout, /regression: work: .* at main .*interval over \d+ rounds, all above the 10% threshold/);
  project.write(".choragen/performance.yaml", "benchmarks:\n  regressionThreshold: 200\n");
  const loose = choragen(project.dir, ["perf:check"]);
  assert.equal(loose.code, 0, transcript(loose));
});

test("an unchanged branch passes against main, with benchmarks.against from the config under `choragen perf`; generator and async benches are measured side by side too", async (t) => {
  const project = repoProject();
  t.after(() => project.cleanup());
  // A generator (timed by plain calls after its setup) and an async bench (timed in alternating mitata blocks).
  project.write(
    "benchmarks/shapes.bench.ts",
    `import { bench, do_not_optimize } from "@choragen/perf/bench";
import { steady } from "../src/steady";
bench("generator", function* () {
  const rows = Array.from({ length: 50 }, (_, i) => i);
  yield () => do_not_optimize(rows.reduce((s, x) => s + x, steady()));
});
bench("async", async () => do_not_optimize(await Promise.resolve(steady())));
`,
  );
  commitAll(project.dir, "shapes");
  git(project.dir, ["checkout", "-q", "-b", "docs-only"]);
  project.write("README.md", "# nothing that runs\n");
  project.write(".choragen/performance.yaml", "benchmarks:\n  against: main\n");
  commitAll(project.dir, "docs");

  const run = choragen(project.dir, ["perf", "--reporter", "json"]);
  assert.equal(run.code, 0, transcript(run));
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.deepEqual(verdicts(report), { work: "unchanged", steady: "unchanged", gone: "unchanged", generator: "unchanged", async: "unchanged" }, transcript(run));
  assert.equal(report.against?.ref, "main");
  for (const b of report.benches) assert.ok((b.comparison?.paired?.rounds ?? 0) >= 6, `${b.id}: ${JSON.stringify(b.comparison)}`);
  // Each round is one process holding both sides, plus one process of the working tree alone per file.
  const rounds = report.against!.benches.map((b) => b.rounds);
  assert.ok(report.against!.processes <= Math.max(...rounds) * 2 + 2, `${report.against!.processes} processes for rounds ${rounds.join(", ")}`);
});

test("in the process holding both sides, each side's file loads in its own folder: a fixture read by a relative path is its side's", async (t) => {
  // The test project has no @types/node: the one function needed is declared.
  const fixtureBench = `// @ts-ignore -- no @types/node in this project
import { readFileSync } from "node:fs";
import { bench, do_not_optimize } from "@choragen/perf/bench";
const size = Number((readFileSync as (file: string, encoding: string) => string)("benchmarks/size.txt", "utf8"));
bench("from fixture", () => {
  let h = 0x811c9dc5;
  for (let i = 0; i < size; i++) h = Math.imul(h ^ i, 0x01000193);
  return do_not_optimize(h >>> 0);
});
`;
  const project = makeProject({ files: { "benchmarks/f.bench.ts": fixtureBench, "benchmarks/size.txt": "400" } });
  t.after(() => project.cleanup());
  initRepo(project.dir);
  commitAll(project.dir, "base");
  git(project.dir, ["checkout", "-q", "-b", "bigger-input"]);
  project.write("benchmarks/size.txt", "800");
  // Not committed: the working tree's own fixture is the B side's.
  const run = choragen(project.dir, ["perf:bench", "--against", "main", "--reporter", "json"]);
  assert.equal(run.code, 1, transcript(run));
  const report = JSON.parse(run.stdout) as JsonReport;
  const c = report.benches.find((b) => b.id === "from fixture")?.comparison;
  assert.equal(c?.verdict, "regression", transcript(run));
  assert.ok(c.changePct > 50 && c.changePct < 200, `twice the input: change ${c.changePct}%`);
});

test("--against mistakes are clear errors (exit 2, no stack, nothing measured)", async (t) => {
  const project = repoProject();
  t.after(() => project.cleanup());
  const missing = choragen(project.dir, ["perf:bench", "--against", "no-such-ref"]);
  assert.equal(missing.code, 2, transcript(missing));
  assert.match(missing.stderr, /"no-such-ref" is not a branch, tag or commit of this repository.*git fetch origin no-such-ref/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
  const clash = choragen(project.dir, ["perf:bench", "--against", "main", "--save-baseline"]);
  assert.equal(clash.code, 2, transcript(clash));
  assert.match(clash.stderr, /--against cannot be combined with --save-baseline/);
  const badConfig = choragen(project.dir, ["perf:bench"], {}, []);
  assert.equal(badConfig.code === 0 || badConfig.code === 1, true, transcript(badConfig));
  project.write(".choragen/performance.yaml", "benchmarks:\n  against: 'has space'\n");
  const bad = choragen(project.dir, ["perf:check"]);
  assert.equal(bad.code, 2, transcript(bad));
  assert.match(bad.stderr, /benchmarks\.against/);
});
