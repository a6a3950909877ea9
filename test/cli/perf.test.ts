/**
 * The measuring commands end to end: the real bin runs real bench files (quick mode) in a temporary
 * project that imports @choragen/perf, and real programs after `--`.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { choragen, makeProject, transcript, type TempProject } from "./helpers";

const projects: TempProject[] = [];
after(() => projects.forEach((p) => p.cleanup()));

const WORK = (rounds: number): string =>
  `export function work(): number {\n  let x = 0;\n  for (let i = 0; i < ${rounds}; i++) x += Math.sqrt(i);\n  return x;\n}\n`;

const BENCH = `import { bench, group, do_not_optimize } from "@choragen/perf/bench";
import { work } from "../src/work";

bench("work", () => do_not_optimize(work()));
group("json", () => {
  bench("stringify", () => do_not_optimize(JSON.stringify({ a: [1, 2, 3], b: "x" })));
});
`;

/** A script whose wrapped function always breaks its 1 ms contract. */
const SLOW_SCRIPT = `const { perf } = require("@choragen/perf");
const slowLookup = perf.latency({ max: 1, unit: "ms" }, function slowLookup() {
  const end = Date.now() + 5;
  while (Date.now() < end);
  return 1;
});
slowLookup();
console.log("hello from the program");
`;

function benchProject(files: Readonly<Record<string, string>> = {}): TempProject {
  const project = makeProject({
    files: {
      "src/work.ts": WORK(2000),
      "benchmarks/x.bench.ts": BENCH,
      ".choragen/performance.yaml": "benchmarks:\n  budgets:\n    work: { p99: { max: 50, unit: ms } }\n",
      ...files,
    },
  });
  projects.push(project);
  return project;
}

interface JsonReport {
  passed: boolean;
  benches: { id: string; comparison?: { verdict: string } }[];
  violations: { target: string; file: string; line: number }[];
  run?: { argv: string[]; exitCode: number | null };
}

describe("choragen perf:bench", () => {
  it("measures every bench, prints the table and keeps the results (exit 0)", () => {
    const project = benchProject();
    const run = choragen(project.dir, ["perf:bench", "--quick"]);
    assert.equal(run.code, 0, transcript(run));
    assert.match(run.stdout, /✓ work\s+\d/);
    assert.match(run.stdout, /✓ json\/stringify\s+\d/);
    assert.match(run.stdout, /✓ p99 ≤ 50 ms/);
    assert.match(run.stdout, /PASS/);
    // One progress line per bench on a non-terminal stderr, none on stdout.
    assert.match(run.stderr, /✓ work +p50 /);
    assert.match(run.stderr, /✓ json\/stringify +p50 /);
    assert.ok(existsSync(join(project.dir, ".choragen", "results", "latest.json")));
  });

  it("fails with exit 1 and names the bench that breaks its budget", () => {
    const project = benchProject({ ".choragen/performance.yaml": "benchmarks:\n  budgets:\n    work: { p50: { max: 1, unit: ns } }\n" });
    const run = choragen(project.dir, ["perf:bench", "--quick", "--filter", "^work$"]);
    assert.equal(run.code, 1, transcript(run));
    assert.match(run.stdout, /✗ work/);
    assert.match(run.stdout, /✗ p50 [\d.]+ (ns|µs|ms) > 1 ns/);
    assert.doesNotMatch(run.stdout, /json\/stringify/, "--filter left the other bench out");
  });

  it("reports a regression after a slowdown (exit 1), against the saved baseline", () => {
    const project = benchProject();
    // Baselines are measured in standard mode: quick-mode samples are too rough to be saved and compared with.
    const save = choragen(project.dir, ["perf:bench", "--filter", "^work$", "--save-baseline"]);
    assert.equal(save.code, 0, transcript(save));
    assert.ok(existsSync(join(project.dir, ".choragen", "baselines", "benchmarks__x.bench.ts.json")));
    assert.match(save.stderr, /third process for work: baselines are measured in three processes…/);
    const saved = JSON.parse(readFileSync(join(project.dir, ".choragen", "baselines", "benchmarks__x.bench.ts.json"), "utf8")) as { results: { stats: { blocks: number[] } }[] };
    assert.equal(saved.results[0]?.stats.blocks.length, 12, "4 blocks from each of three processes");
    project.write("src/work.ts", WORK(40000));
    const run = choragen(project.dir, ["perf:bench", "--filter", "^work$", "--reporter", "json"]);
    assert.equal(run.code, 1, transcript(run));
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.benches.find((b) => b.id === "work")?.comparison?.verdict, "regression");
    assert.equal(report.passed, false);
    // Failed on three processes, not two: the suspected regression was measured again first.
    assert.match(run.stderr, /third process for work: slower than its baseline, confirming…/);
  });

  it("reports a bench that throws by name, and still runs the others (exit 1)", () => {
    const project = benchProject({
      "benchmarks/broken.bench.ts": 'import { bench } from "@choragen/perf/bench";\nbench("explodes", () => {\n  throw new Error("kaboom in the bench");\n});\n',
    });
    const run = choragen(project.dir, ["perf:bench", "--quick"]);
    assert.equal(run.code, 1, transcript(run));
    assert.match(run.stdout, /✗ explodes/);
    assert.match(run.stdout, /kaboom in the bench/);
    assert.match(run.stdout, /✓ work\s+\d/);
  });

  it("exits 2 when there is nothing to measure, rather than passing on a typo", () => {
    const project = benchProject({ ".choragen/performance.yaml": 'benchmarks:\n  include: ["bench/**/*.bench.ts"]\n' });
    const none = choragen(project.dir, ["perf:bench", "--quick"]);
    assert.equal(none.code, 2, transcript(none));
    assert.match(none.stderr, /no bench files found: .*bench\/\*\*\/\*\.bench\.ts/);
    const missingConfig = choragen(project.dir, ["perf:bench", "--quick", "--config", ".choragen/none.yaml"]);
    assert.equal(missingConfig.code, 2, transcript(missingConfig));
    assert.match(missingConfig.stderr, /none\.yaml/);
  });

  it("exits 2 when --filter matches no benchmark", () => {
    const project = benchProject();
    const run = choragen(project.dir, ["perf:bench", "--quick", "--filter", "^nothing-like-this$"]);
    assert.equal(run.code, 2, transcript(run));
    assert.match(run.stderr, /no benchmark matched --filter "\^nothing-like-this\$"/);
  });

  it("exits 2 for a --baseline-ref that does not exist", () => {
    const project = benchProject();
    const run = choragen(project.dir, ["perf:bench", "--quick", "--baseline-ref", "no-such-branch"]);
    assert.equal(run.code, 2, transcript(run));
    assert.match(run.stderr, /no-such-branch/);
  });
});

describe("choragen perf -- <cmd>", () => {
  it("collects the program's violations, passes its output through, and perf:check sees them later", () => {
    const project = benchProject({ "load.js": SLOW_SCRIPT });
    const run = choragen(project.dir, ["perf", "--quick", "--", "node", "load.js"]);
    assert.equal(run.code, 1, transcript(run));
    assert.match(run.stdout, /hello from the program/);
    assert.match(run.stdout, /slowLookup/);
    assert.match(run.stdout, /load\.js:2/);
    assert.match(run.stdout, /maxViolations/);

    const stored = JSON.parse(readFileSync(join(project.dir, ".choragen", "results", "violations.json"), "utf8")) as JsonReport;
    assert.equal(stored.violations[0]?.target, "slowLookup");

    const check = choragen(project.dir, ["perf:check", "--reporter", "json"]);
    assert.equal(check.code, 1, transcript(check));
    const report = JSON.parse(check.stdout) as JsonReport;
    assert.deepEqual(report.run?.argv, ["node", "load.js"]);
    assert.deepEqual(
      report.violations.map((v) => [v.target, v.file, v.line]),
      [["slowLookup", "load.js", 2]],
    );

    // A later run without a program starts clean.
    const clean = choragen(project.dir, ["perf", "--quick"]);
    assert.equal(clean.code, 0, transcript(clean));
    assert.equal(choragen(project.dir, ["perf:check"]).code, 0);
  });

  it("a failing program fails the check but its output still shows", () => {
    const project = benchProject({ "fail.js": 'console.log("about to fail"); process.exitCode = 3;\n' });
    const run = choragen(project.dir, ["perf", "--quick", "--", "node", "fail.js"]);
    assert.equal(run.code, 1, transcript(run));
    assert.match(run.stdout, /about to fail/);
    assert.match(run.stdout, /`node fail\.js` exited with code 3/);
    assert.match(run.stdout, /no contracts armed \(1 Node\.js process started, none loaded @choragen\/perf\)/);
  });

  it("keeps stdout a pure JSON document, moving the program's output to stderr", () => {
    const project = benchProject({
      "load.js": SLOW_SCRIPT,
      ".choragen/performance.yaml": "benchmarks:\n  enabled: false\nthresholds:\n  maxViolations: 1\n  minScore: 0\n",
    });
    const run = choragen(project.dir, ["perf", "--reporter", "json", "--", "node", "load.js"]);
    assert.equal(run.code, 0, transcript(run));
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.benches.length, 0, "benchmarks.enabled: false runs only the program");
    assert.equal(report.violations.length, 1);
    assert.match(run.stderr, /hello from the program/);
  });

  it("exits 2 when the program cannot be started", () => {
    const project = benchProject({ ".choragen/performance.yaml": "benchmarks:\n  enabled: false\n" });
    const run = choragen(project.dir, ["perf", "--", "no-such-program-choragen"]);
    assert.equal(run.code, 2, transcript(run));
    assert.match(run.stderr, /no-such-program-choragen/);
    assert.match(run.stderr, /not found/);
  });
});
