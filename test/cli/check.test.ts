/**
 * `choragen perf:check` end to end on stored results (test/fixtures/cli/stored): the real bin in a
 * temporary project, judging a hand-written latest.json against budgets, violations and the score.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { choragen, FIXTURES, makeProject, transcript, type TempProject } from "./helpers";

const ESC = "\u001b[";
const projects: TempProject[] = [];
function stored(files: Readonly<Record<string, string>> = {}): TempProject {
  const project = makeProject({ fixture: "stored", files });
  projects.push(project);
  return project;
}
after(() => projects.forEach((p) => p.cleanup()));

const violation = {
  contractId: "src/orders.ts#OrderService.placeOrder",
  kind: "latency",
  target: "OrderService.placeOrder",
  file: "src/orders.ts",
  line: 12,
  measured: 73.5,
  threshold: 50,
  unit: "ms",
  timestamp: 1736935200000,
  context: { origin: "inline", async: true, pid: 4242 },
};

function violationsFile(exitCode = 0): string {
  return JSON.stringify({
    schemaVersion: 1,
    collectedAt: "2025-01-15T10:05:00.000Z",
    run: { argv: ["npm", "test"], exitCode, signal: null, reportWritten: true, contracts: 3, violations: 1, durationMs: 1200 },
    contracts: [],
    violations: [violation],
  });
}

describe("choragen perf:check", () => {
  it("passes when the stored results meet every budget", () => {
    const project = stored();
    const run = choragen(project.dir, ["perf:check"]);
    assert.equal(run.code, 0, transcript(run));
    assert.match(run.stdout, /parse 1 KB/);
    assert.match(run.stdout, /json\/stringify/);
    assert.match(run.stdout, /Score \d+\/100/);
    assert.match(run.stdout, /PASS/);
  });

  it("works from any folder inside the project", () => {
    const project = stored();
    project.write("src/deep/nested/file.ts", "export {};\n");
    const run = choragen(join(project.dir, "src", "deep", "nested"), ["perf:check", "--reporter", "json"]);
    assert.equal(run.code, 0, transcript(run));
    const report = JSON.parse(run.stdout) as { root: string; benches: unknown[] };
    assert.equal(report.benches.length, 2);
  });

  it("fails with exit 1 and names the bench when a budget is exceeded", () => {
    const project = stored({
      ".choragen/performance.yaml": 'benchmarks:\n  budgets:\n    "parse 1 KB": { p99: { max: 1, unit: ms } }\n',
    });
    const run = choragen(project.dir, ["perf:check"]);
    assert.equal(run.code, 1, transcript(run));
    assert.match(run.stdout, /✗ parse 1 KB/);
    assert.match(run.stdout, /p99 1\.89 ms > 1 ms/);
    assert.match(run.stdout, /FAIL/);
  });

  it("judges budgets as the config is now: a budget removed since the run is gone, a misspelt one is named", () => {
    // Results measured while the config gave "parse 1 KB" a 1 ms p99 budget (the bench file gave none).
    const latest = JSON.parse(readFileSync(join(FIXTURES, "stored", ".choragen", "results", "latest.json"), "utf8")) as { results: Record<string, unknown>[] };
    latest.results = latest.results.map((r) => (r["id"] === "parse 1 KB" ? { ...r, budget: { p99: { max: 1, unit: "ms" } }, fileBudget: {} } : r));
    const project = stored({ ".choragen/results/latest.json": JSON.stringify(latest) });
    const before = choragen(project.dir, ["perf:check"]);
    assert.equal(before.code, 0, transcript(before));
    assert.doesNotMatch(before.stdout, /p99 1\.89 ms > 1 ms/, "the budget left the config: it is not judged");
    project.write(".choragen/performance.yaml", 'benchmarks:\n  budgets:\n    "parse 1 kb": { p99: { max: 1, unit: ms } }\n');
    const misspelt = choragen(project.dir, ["perf:check", "--reporter", "json"]);
    assert.equal(misspelt.code, 0, transcript(misspelt));
    const report = JSON.parse(misspelt.stdout) as { warnings: string[]; benches: { id: string; budgetChecks: unknown[] }[] };
    assert.ok(report.warnings.includes('benchmarks.budgets."parse 1 kb" matches no benchmark, so it is not checked; did you mean "parse 1 KB"?'), report.warnings.join("\n"));
    assert.deepEqual(report.benches.map((b) => b.budgetChecks.length), [0, 0]);
    project.write(".choragen/performance.yaml", 'benchmarks:\n  budgets:\n    "parse 1 KB": { p99: { max: 1, unit: ms } }\n');
    assert.equal(choragen(project.dir, ["perf:check"]).code, 1, "and back in the config, it counts again");
  });

  it("judges collected violations against maxViolations and shows where they are", () => {
    const project = stored({ ".choragen/results/violations.json": violationsFile() });
    const run = choragen(project.dir, ["perf:check"]);
    assert.equal(run.code, 1, transcript(run));
    assert.match(run.stdout, /OrderService\.placeOrder/);
    assert.match(run.stdout, /73\.5 ms > 50 ms/);
    assert.match(run.stdout, /src\/orders\.ts:12/);
  });

  it("lets maxViolations tolerate violations", () => {
    const project = stored({
      ".choragen/results/violations.json": violationsFile(),
      ".choragen/performance.yaml": "thresholds:\n  maxViolations: 5\n  minScore: 0\n",
    });
    const run = choragen(project.dir, ["perf:check"]);
    assert.equal(run.code, 0, transcript(run));
  });

  it("fails when the collected program failed", () => {
    const project = stored({
      ".choragen/results/violations.json": violationsFile(3),
      ".choragen/performance.yaml": "thresholds:\n  maxViolations: 5\n  minScore: 0\n",
    });
    const run = choragen(project.dir, ["perf:check"]);
    assert.equal(run.code, 1, transcript(run));
    assert.match(run.stdout, /`npm test` exited with code 3/);
  });

  it("sees every config change at once: the config cache never serves a stale or broken file", () => {
    const project = stored();
    assert.equal(choragen(project.dir, ["perf:check"]).code, 0);
    assert.ok(existsSync(join(project.dir, ".choragen", "cache", "config.json")), "the first run caches the resolved config");
    const config = join(project.dir, ".choragen", "performance.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("max: 2, unit: ms", "max: 1, unit: ms"));
    const tightened = choragen(project.dir, ["perf:check"]);
    assert.equal(tightened.code, 1, transcript(tightened));
    assert.match(tightened.stdout, /✗ parse 1 KB/);
    writeFileSync(config, readFileSync(config, "utf8").replace("minScore: 80", "minScore: high"));
    const broken = choragen(project.dir, ["perf:check"]);
    assert.equal(broken.code, 2, transcript(broken));
    assert.match(broken.stderr, /performance\.yaml:\d+:\d+/);
  });

  it("exits 2 with file:line:col for a bad config", () => {
    const project = stored({ ".choragen/performance.yaml": "thresholds:\n  minScore: 80\n  maxViolatons: 0\n" });
    const run = choragen(project.dir, ["perf:check"]);
    assert.equal(run.code, 2, transcript(run));
    assert.match(run.stderr, /performance\.yaml:3:3/);
    assert.match(run.stderr, /maxViolations/, "suggests the key that was meant");
    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    assert.equal(run.stdout, "");
  });

  it("exits 2 when there is nothing to check", () => {
    const project = makeProject();
    projects.push(project);
    const run = choragen(project.dir, ["perf:check"]);
    assert.equal(run.code, 2, transcript(run));
    assert.match(run.stderr, /nothing to check/);
    assert.match(run.stderr, /choragen perf:bench/);
  });

  it("exits 2 on a corrupt results file, naming it", () => {
    const project = stored({ ".choragen/results/latest.json": "{ not json" });
    const run = choragen(project.dir, ["perf:check"]);
    assert.equal(run.code, 2, transcript(run));
    assert.match(run.stderr, /latest\.json/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it("--print-config shows the resolved values and where they came from, exit 0", () => {
    const project = stored();
    const run = choragen(project.dir, ["perf:check", "--print-config"]);
    assert.equal(run.code, 0, transcript(run));
    assert.match(run.stdout, /regressionThreshold/);
    assert.match(run.stdout, /minScore/);
    assert.match(run.stdout, /default/i);
    assert.match(run.stdout, /performance\.yaml/);
  });

  it("--config uses another file", () => {
    const project = stored({ "ci/strict.yaml": 'benchmarks:\n  budgets:\n    "json/stringify": { p50: { max: 10, unit: us } }\n' });
    const run = choragen(project.dir, ["perf:check", "--config", "ci/strict.yaml"]);
    assert.equal(run.code, 1, transcript(run));
    assert.match(run.stdout, /✗ json\/stringify/);
  });

  it("colours only when asked and never with NO_COLOR", () => {
    const project = stored();
    const plain = choragen(project.dir, ["perf:check"]);
    assert.ok(!plain.stdout.includes(ESC), "piped output has no colour");
    const forced = choragen(project.dir, ["perf:check"], { FORCE_COLOR: "1" });
    assert.ok(forced.stdout.includes(ESC), "FORCE_COLOR turns colour on");
    const vetoed = choragen(project.dir, ["perf:check"], { FORCE_COLOR: "1", NO_COLOR: "1" });
    assert.ok(!vetoed.stdout.includes(ESC), "NO_COLOR wins");
  });

  it("writes the JSON report to --json as well", () => {
    const project = stored();
    const run = choragen(project.dir, ["perf:check", "--json", "out/report.json"]);
    assert.equal(run.code, 0, transcript(run));
    const report = JSON.parse(readFileSync(join(project.dir, "out", "report.json"), "utf8")) as { command: string; passed: boolean };
    assert.equal(report.command, "perf:check");
    assert.equal(report.passed, true);
  });
});

describe("choragen usage", () => {
  const project = makeProject();
  projects.push(project);

  for (const command of [[], ["perf"], ["perf:bench"], ["perf:check"]]) {
    it(`${["choragen", ...command].join(" ")} --help exits 0 with examples`, () => {
      const run = choragen(project.dir, [...command, "--help"]);
      assert.equal(run.code, 0, transcript(run));
      if (command.length > 0) assert.match(run.stdout, /Examples/);
      assert.match(run.stdout, /perf/);
    });
  }

  it("--version prints the package version", () => {
    const run = choragen(project.dir, ["--version"]);
    assert.equal(run.code, 0, transcript(run));
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version: string };
    assert.equal(run.stdout.trim(), pkg.version);
  });

  it("--help and perf:check load neither TypeScript nor mitata", () => {
    const stored = makeProject({ fixture: "stored" });
    projects.push(stored);
    const hook = stored.write(
      "record-modules.js",
      'process.on("exit", () => require("fs").writeFileSync(process.env.MODULES_OUT, Object.keys(require.cache).join("\\n")));\n',
    );
    const loaded = (args: readonly string[]): string[] => {
      const out = join(stored.dir, `modules-${args.join("_").replace(/\W/g, "")}.txt`);
      const run = choragen(stored.dir, args, { MODULES_OUT: out }, ["--require", hook]);
      assert.equal(run.code, 0, transcript(run));
      return readFileSync(out, "utf8").split("\n");
    };
    for (const args of [["--help"], ["perf:check", "--help"], ["perf:check"]]) {
      const modules = loaded(args);
      assert.ok(modules.some((m) => /[\\/]clipanion[\\/]/.test(m)), "the recorder works");
      const heavy = modules.filter((m) => /node_modules[\\/](typescript|mitata)[\\/]|engine[\\/]compile\.js$/.test(m));
      assert.deepEqual(heavy, [], `choragen ${args.join(" ")}`);
      if (args[0] === "--help") assert.ok(!modules.some((m) => /[\\/]yaml[\\/]/.test(m)), "--help does not even load the config");
    }
  });

  it("an unknown option exits 2 with the usage", () => {
    const run = choragen(project.dir, ["perf:check", "--no-such-flag"]);
    assert.equal(run.code, 2, transcript(run));
    assert.match(run.stderr, /--no-such-flag/);
    assert.match(run.stderr, /choragen perf:check/);
  });

  it("an unknown command exits 2", () => {
    const run = choragen(project.dir, ["perf:chek"]);
    assert.equal(run.code, 2, transcript(run));
  });

  it("an unknown reporter exits 2 and lists the reporters", () => {
    const run = choragen(project.dir, ["perf:check", "--reporter", "xml"]);
    assert.equal(run.code, 2, transcript(run));
    assert.match(run.stderr, /pretty, json, markdown, junit, github/);
  });

  it("a bad --filter exits 2 before measuring anything", () => {
    const run = choragen(project.dir, ["perf:bench", "--filter", "(unclosed"]);
    assert.equal(run.code, 2, transcript(run));
    assert.match(run.stderr, /--filter "\(unclosed" is not a valid regular expression/);
  });
});
