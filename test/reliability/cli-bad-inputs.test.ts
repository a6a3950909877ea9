/**
 * Bad files and bad arguments, end to end: the real bin on a copy of a stored project
 * (test/fixtures/reliability-cli/stored: a bench file, its results and its baseline, made by a real
 * run). Each case must end with the documented exit code (2: the check could not run; 1: it ran and
 * failed), a message naming the file (or ref), no stack trace, and no file touched but those the
 * command is documented to write: the whole folder around the project (project, a folder beside it
 * and the TMPDIR the CLI was given) is snapshotted before and after.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, describe, it } from "node:test";
import {
  Sandbox,
  WRITES,
  assertFailedCheck,
  assertOnlyTouched,
  assertUserError,
  snapshot,
  transcript,
  type CliRun,
} from "./cli-harness";

const BASELINE = ".choragen/baselines/benchmarks__x.bench.ts.json";
const LATEST = ".choragen/results/latest.json";
const VIOLATIONS = ".choragen/results/violations.json";

const sandboxes: Sandbox[] = [];
after(() => sandboxes.forEach((s) => s.remove()));

function stored(files: Readonly<Record<string, string>> = {}): Sandbox {
  const sandbox = new Sandbox(files, "stored");
  sandboxes.push(sandbox);
  return sandbox;
}

type Json = Record<string, unknown>;

function editJson(sandbox: Sandbox, file: string, edit: (value: Json) => unknown): void {
  const value = JSON.parse(sandbox.read(file)) as Json;
  const result = edit(value);
  sandbox.write(file, JSON.stringify(result === undefined ? value : result, null, 2) + "\n");
}

function firstStats(value: Json): Json {
  const results = value["results"] as Json[];
  return results[0]!["stats"] as Json;
}

/** Runs the bin and checks that only `allowed` paths (relative to the project) changed anywhere around it. */
function runWatched(sandbox: Sandbox, args: readonly string[], allowed: readonly string[]): CliRun {
  const before = snapshot(sandbox.outer);
  const run = sandbox.run(args);
  const after = snapshot(sandbox.outer);
  assertOnlyTouched(before, after, allowed.map((p) => `project/${p}`), transcript(run));
  return run;
}

let badInputs = 0;
after(() => console.log(`# cli-bad-inputs: ${badInputs} bad inputs tried`));

const truncations = (length: number): number[] => [1, Math.floor(length / 3), Math.floor(length / 2), length - 2];

describe("perf:check on bad stored files: exit 2, the file named, nothing touched", () => {
  it("the stored fixture itself passes (so every failure below comes from the damage)", () => {
    const sandbox = stored();
    const run = runWatched(sandbox, ["perf:check"], WRITES.cache);
    assert.equal(run.code, 0, transcript(run));
  });

  const baselineCases: { name: string; damage: (s: Sandbox) => void; mentions: (string | RegExp)[] }[] = [
    ...truncations(2000).map((cut) => ({
      name: `a baseline cut after ${cut} bytes`,
      damage: (s: Sandbox): void => void s.write(BASELINE, s.read(BASELINE).slice(0, cut)),
      mentions: [BASELINE, /not valid JSON/],
    })),
    { name: "an empty baseline", damage: (s) => void s.write(BASELINE, ""), mentions: [BASELINE] },
    { name: "a baseline holding null", damage: (s) => void s.write(BASELINE, "null\n"), mentions: [BASELINE] },
    {
      name: "a baseline from a future version (schemaVersion 2)",
      damage: (s) => editJson(s, BASELINE, (v) => void (v["schemaVersion"] = 2)),
      mentions: [BASELINE, /schemaVersion 2/, /newer/],
    },
    {
      name: "a baseline from an older version (schemaVersion 0)",
      damage: (s) => editJson(s, BASELINE, (v) => void (v["schemaVersion"] = 0)),
      mentions: [BASELINE, /schemaVersion/],
    },
    {
      name: "a baseline with a sample that is not a number",
      damage: (s) => editJson(s, BASELINE, (v) => void ((firstStats(v)["sampleSet"] as unknown[])[3] = "fast")),
      mentions: [BASELINE, "results[0].stats.sampleSet[3]"],
    },
    {
      name: "a baseline without a machine",
      damage: (s) => editJson(s, BASELINE, (v) => void delete v["machine"]),
      mentions: [BASELINE, /machine/],
    },
  ];
  for (const c of baselineCases) {
    it(c.name, () => {
      badInputs++;
      const sandbox = stored();
      c.damage(sandbox);
      const run = runWatched(sandbox, ["perf:check", "--baseline-ref", "."], WRITES.cache);
      assertUserError(run, 2, c.mentions);
    });
  }

  it("a directory named like a baseline", {}, () => {
    badInputs++;
    const sandbox = stored();
    sandbox.write(".choragen/baselines/odd.json/keep", "");
    const run = runWatched(sandbox, ["perf:check", "--baseline-ref", "."], WRITES.cache);
    assertUserError(run, 2, [".choragen/baselines/odd.json"]);
  });

  const resultCases: { name: string; damage: (s: Sandbox) => void; mentions: (string | RegExp)[]; todo?: string }[] = [
    ...truncations(2000).map((cut) => ({
      name: `results cut mid-JSON after ${cut} bytes`,
      damage: (s: Sandbox): void => void s.write(LATEST, s.read(LATEST).slice(0, cut)),
      mentions: [LATEST, /not valid JSON/, /perf:bench/],
    })),
    { name: "an empty results file", damage: (s) => void s.write(LATEST, ""), mentions: [LATEST] },
    { name: "a results file of blanks", damage: (s) => void s.write(LATEST, "  \n\n"), mentions: [LATEST] },
    { name: "results that are a JSON array", damage: (s) => void s.write(LATEST, "[]\n"), mentions: [LATEST] },
    {
      name: "results from an older schema (schemaVersion 0)",
      damage: (s) => editJson(s, LATEST, (v) => void (v["schemaVersion"] = 0)),
      mentions: [LATEST, /schemaVersion/],
    },
    {
      name: "results from a future schema (schemaVersion 3)",
      damage: (s) => editJson(s, LATEST, (v) => void (v["schemaVersion"] = 3)),
      mentions: [LATEST, /newer/],
    },
    {
      name: "results whose results field is an object",
      damage: (s) => editJson(s, LATEST, (v) => void (v["results"] = {})),
      mentions: [LATEST, /results/],
    },
    {
      name: "results with a non-numeric p99",
      damage: (s) => editJson(s, LATEST, (v) => void (firstStats(v)["p99"] = "12")),
      mentions: [LATEST, "results[0].stats.p99"],
    },
    {
      name: "results without a schemaVersion say so in words",
      damage: (s) => editJson(s, LATEST, (v) => void delete v["schemaVersion"]),
      mentions: [LATEST, /schemaVersion/, /^(?![\s\S]*undefined undefined)/],
      
    },
  ];
  for (const c of resultCases) {
    it(c.name, c.todo === undefined ? {} : { todo: c.todo }, () => {
      badInputs++;
      const sandbox = stored();
      c.damage(sandbox);
      const run = runWatched(sandbox, ["perf:check"], WRITES.cache);
      assertUserError(run, 2, c.mentions);
    });
  }

  const validViolations = {
    schemaVersion: 1,
    collectedAt: "2025-01-15T10:05:00.000Z",
    run: { argv: ["npm", "test"], exitCode: 0, signal: null, reportWritten: true, contracts: 1, violations: 1, durationMs: 1200 },
    contracts: [],
    violations: [
      {
        contractId: "src/a.ts#A.b",
        kind: "latency",
        target: "A.b",
        file: "src/a.ts",
        line: 3,
        measured: 7,
        threshold: 5,
        unit: "ms",
        timestamp: 1736935200000,
        context: {},
      },
    ],
  };
  const violationCases: { name: string; text: string; mentions: (string | RegExp)[] }[] = [
    { name: "garbage", text: "\u0000\u0001garbage{{", mentions: [VIOLATIONS, /not valid JSON/] },
    { name: "cut mid-JSON", text: JSON.stringify(validViolations).slice(0, 80), mentions: [VIOLATIONS, /not valid JSON/] },
    { name: "empty", text: "", mentions: [VIOLATIONS] },
    { name: "an array", text: "[1,2]", mentions: [VIOLATIONS] },
    { name: "a future schema", text: JSON.stringify({ ...validViolations, schemaVersion: 2 }), mentions: [VIOLATIONS, /schemaVersion/] },
    {
      name: "a violation without a line",
      text: JSON.stringify({ ...validViolations, violations: [{ ...validViolations.violations[0], line: "3" }] }),
      mentions: [VIOLATIONS, "violations[0]", /line/],
    },
  ];
  for (const c of violationCases) {
    it(`a violations.json that is ${c.name}`, () => {
      badInputs++;
      const sandbox = stored({ [VIOLATIONS]: c.text });
      const run = runWatched(sandbox, ["perf:check"], WRITES.cache);
      assertUserError(run, 2, c.mentions);
    });
  }

  it(
    "a violations.json whose program run lacks its exit code is rejected, not reported as a kill",
    {},
    () => {
      badInputs++;
      const { exitCode: _exitCode, signal: _signal, durationMs: _durationMs, ...run } = validViolations.run;
      const sandbox = stored({ [VIOLATIONS]: JSON.stringify({ ...validViolations, run }) });
      const result = runWatched(sandbox, ["perf:check"], WRITES.cache);
      assert.doesNotMatch(result.stdout, /undefined|NaN/, transcript(result));
      assertUserError(result, 2, [VIOLATIONS, /exitCode/]);
    },
  );

  /** Every stored result three times slower than the baseline (the calibration, the machine's speed, unchanged). */
  function threeTimesSlower(sandbox: Sandbox): void {
    editJson(sandbox, LATEST, (v) => {
      for (const r of v["results"] as Json[]) {
        const stats = r["stats"] as Json;
        for (const key of ["p50", "p75", "p99", "min", "max", "mean"]) stats[key] = (stats[key] as number) * 3;
        stats["sampleSet"] = (stats["sampleSet"] as number[]).map((x) => x * 3);
      }
    });
  }

  it("control: results three times slower than an intact baseline fail as regressions", () => {
    const sandbox = stored();
    threeTimesSlower(sandbox);
    const run = runWatched(sandbox, ["perf:check", "--baseline-ref", "."], WRITES.cache);
    assertFailedCheck(run, [/regression: sum/, /regression: json\/stringify/]);
  });

  it(
    "a baseline without samples is not reported as 'unchanged'",
    {},
    () => {
      badInputs++;
      const sandbox = stored();
      editJson(sandbox, BASELINE, (v) => {
        for (const r of v["results"] as Json[]) (r["stats"] as Json)["sampleSet"] = [];
      });
      threeTimesSlower(sandbox);
      const run = runWatched(sandbox, ["perf:check", "--baseline-ref", ".", "--reporter", "json"], WRITES.cache);
      if (run.code === 2) return assertUserError(run, 2, [BASELINE, /sampleSet/]);
      const report = JSON.parse(run.stdout) as { benches: { comparison?: { verdict: string } }[]; warnings: string[] };
      const unchanged = report.benches.filter((b) => b.comparison?.verdict === "unchanged");
      assert.ok(unchanged.length === 0 || report.warnings.some((w) => w.includes("benchmarks__x.bench.ts")), transcript(run));
    },
  );
});

describe("bad --baseline-ref values: exit 2 naming the ref, git and files untouched", () => {
  /** The stored project as a git repository with its baselines committed on main. */
  function inGit(): Sandbox {
    const sandbox = stored();
    sandbox.git("init", "-q", "-b", "main");
    sandbox.write(".gitignore", "node_modules/\n.choragen/cache/\n.choragen/results/\n");
    sandbox.git("add", ".");
    sandbox.git("commit", "-q", "-m", "baselines");
    return sandbox;
  }

  const refs: { ref: string; mentions: (string | RegExp)[] }[] = [
    { ref: "no-such-branch", mentions: [/"no-such-branch"/] },
    { ref: "-x", mentions: [/"-x"/] },
    { ref: "--output=/tmp/choragen-escaped", mentions: ["--output=/tmp/choragen-escaped"] },
    { ref: "HEAD:.choragen", mentions: ["HEAD:.choragen"] },
    { ref: "main branch", mentions: ["main branch"] },
    { ref: "..", mentions: [/"\.\."/] },
    { ref: "", mentions: [/ref/] },
    { ref: "x".repeat(5000), mentions: ["x".repeat(100)] },
  ];
  for (const { ref, mentions } of refs) {
    it(`--baseline-ref ${JSON.stringify(ref.length > 40 ? ref.slice(0, 10) + "…" : ref)}`, () => {
      badInputs++;
      const sandbox = inGit();
      const run = runWatched(sandbox, ["perf:check", `--baseline-ref=${ref}`], WRITES.cache);
      assertUserError(run, 2, mentions);
      assert.equal(fs.existsSync("/tmp/choragen-escaped"), false, "a ref was passed to git as an option");
    });
  }

  it("a ref that exists but holds no baselines", () => {
    badInputs++;
    const sandbox = inGit();
    // A commit of the empty tree (git knows its hash without it being stored).
    const empty = sandbox.git("commit-tree", "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "-m", "no baselines").trim();
    sandbox.git("update-ref", "refs/heads/empty", empty);
    const run = runWatched(sandbox, ["perf:check", "--baseline-ref", "empty"], WRITES.cache);
    assertUserError(run, 2, [/no baselines committed at empty/]);
  });

  it("a ref whose committed baseline is corrupt names the ref and the file", () => {
    badInputs++;
    const sandbox = inGit();
    sandbox.write(BASELINE, "{ corrupt");
    sandbox.git("commit", "-q", "-a", "-m", "break it");
    sandbox.git("tag", "broken");
    sandbox.git("reset", "-q", "--hard", "HEAD~1");
    const run = runWatched(sandbox, ["perf:check", "--baseline-ref", "broken"], WRITES.cache);
    assertUserError(run, 2, [`broken:${BASELINE}`, /not valid JSON/]);
  });
});

describe("perf:bench with bad files", () => {
  it("a corrupt baseline stops perf:bench before it measures anything (no results written)", () => {
    badInputs++;
    const sandbox = stored();
    sandbox.write(BASELINE, '{"schemaVersion":1,');
    const run = runWatched(sandbox, ["perf:bench", "--quick", "--baseline-ref", "."], WRITES.cache);
    assertUserError(run, 2, [BASELINE]);
  });

  const blocked: { folder: string; args: string[]; allowed: string[] }[] = [
    { folder: ".choragen/results", args: ["perf:bench", "--quick", "--baseline-ref", "."], allowed: [...WRITES.cache] },
    { folder: ".choragen/baselines", args: ["perf:bench", "--save-baseline", "--baseline-ref", "."], allowed: [...WRITES.cache, ...WRITES.results] },
  ];
  for (const { folder, args, allowed } of blocked) {
    it(
      `a file where ${folder}/ should be is named, not reported as a crash`,
      {},
      () => {
        badInputs++;
        const sandbox = stored();
        fs.rmSync(sandbox.path(folder), { recursive: true, force: true });
        sandbox.write(folder, "a file, not a folder\n");
        const run = runWatched(sandbox, args, allowed);
        assertUserError(run, 2, [folder]);
      },
    );
  }

  it(
    "--save-baseline replaces a corrupt baseline, as its error message advises",
    {},
    () => {
      badInputs++;
      const sandbox = stored();
      sandbox.write(BASELINE, '{"schemaVersion":1,');
      const first = sandbox.run(["perf:check", "--baseline-ref", "."]);
      assertUserError(first, 2, [BASELINE, /--save-baseline/]);
      const save = runWatched(sandbox, ["perf:bench", "--save-baseline", "--baseline-ref", "."], [...WRITES.cache, ...WRITES.results, ...WRITES.baselines]);
      assert.notEqual(save.code, 2, transcript(save));
      const saved = JSON.parse(sandbox.read(BASELINE)) as { schemaVersion: number };
      assert.equal(saved.schemaVersion, 1);
    },
  );

  it("bench files that do not compile, hang, exit or throw while loading: exit 1, each named, the rest still measured", () => {
    badInputs += 6;
    const header = 'import { bench, do_not_optimize } from "@choragen/perf/bench";\ndeclare const process: { exit(code?: number): never };\n';
    const sandbox = stored({
      ".choragen/performance.yaml": "benchmarks:\n  timeoutMs: 5000\nthresholds:\n  minScore: 0\n",
      "benchmarks/syntax.bench.ts": `${header}bench("broken", () => {\n  const x = ;\n});\n`,
      "benchmarks/hang.bench.ts": `${header}bench("spins forever", () => {\n  for (;;) do_not_optimize(0);\n});\n`,
      "benchmarks/exits.bench.ts": `${header}bench("calls exit", () => {\n  process.exit(0);\n});\n`,
      "benchmarks/exit-at-load.bench.ts": `${header}bench("never measured", () => 1);\nprocess.exit(3);\n`,
      "benchmarks/throws-at-load.bench.ts": `${header}bench("never either", () => 1);\nthrow new Error("setup failed on purpose");\n`,
      "benchmarks/type-error.bench.ts": `${header}const n: number = "not a number";\nbench("typed", () => n);\n`,
    });
    const run = runWatched(sandbox, ["perf:bench", "--quick", "--baseline-ref", "."], [...WRITES.cache, ...WRITES.results]);
    assertFailedCheck(run, [
      /benchmarks\/syntax\.bench\.ts:4:13/,
      /benchmarks\/type-error\.bench\.ts:3:7/,
      /spins forever.*timed out/,
      /calls exit.*exited with code 0/,
      /benchmarks\/exit-at-load\.bench\.ts.*exited with code 3/,
      /benchmarks\/throws-at-load\.bench\.ts.*setup failed on purpose/,
      // Measured (p50 shown); whether they pass is up to the comparison with the stored baseline.
      /[✓✗!] sum\s+[\d.]+ [nµm]?s/,
      /[✓✗!] json\/stringify\s+[\d.]+ [nµm]?s/,
    ]);
    // The stored results keep the verdict: perf:check reproduces the failure.
    const again = sandbox.run(["perf:check", "--baseline-ref", "."]);
    assertFailedCheck(again, [/setup failed on purpose/, /spins forever/]);
  });

  it("a bench process whose performance report is not a runtime report: exit 2 naming the file and the key, no results written", () => {
    badInputs++;
    // What another version of the runtime might leave: the benches' violations cannot be read, so they are not "none".
    const sandbox = stored({
      "benchmarks/x.bench.ts": [
        'import { bench } from "@choragen/perf/bench";',
        "declare const process: { env: Record<string, string | undefined>; on(event: \"exit\", listener: () => void): void; getBuiltinModule(id: \"node:fs\"): { writeFileSync(file: string, text: string): void } };",
        'process.on("exit", () => process.getBuiltinModule("node:fs").writeFileSync(process.env["CHORAGEN_PERF_REPORT"]!, JSON.stringify({ schemaVersion: 1, contracts: [], violations: "none today" })));',
        'bench("measured", () => 1);',
      ].join("\n") + "\n",
    });
    const run = runWatched(sandbox, ["perf:bench", "--quick", "--baseline-ref", "."], [...WRITES.cache]);
    assertUserError(run, 2, ["benchmarks/x.bench.ts", /performance report .* is malformed: violations: expected an array/, /same version as the CLI/]);
  });

  it('config budgets for benches named "constructor", "prototype" or "__proto__" are a located error, not silently dropped', () => {
    badInputs += 3;
    const budget = "{ p50: { max: 1, unit: ns } }";
    const sandbox = stored({
      "benchmarks/x.bench.ts": ['import { bench } from "@choragen/perf/bench";', ...["constructor", "prototype", "__proto__", "toString"].map((n, i) => `bench("${n}", () => ${i});`)].join("\n") + "\n",
      ".choragen/performance.yaml": `benchmarks:\n  budgets:\n    constructor: ${budget}\n    prototype: ${budget}\n    "__proto__": ${budget}\n    toString: ${budget}\n`,
    });
    const run = runWatched(sandbox, ["perf:bench", "--quick", "--baseline-ref", "."], [...WRITES.cache]);
    assertUserError(run, 2, [/performance\.yaml:3:5: benchmarks\.budgets\.constructor/, /performance\.yaml:4:5: benchmarks\.budgets\.prototype/, /performance\.yaml:5:5: benchmarks\.budgets\.__proto__/]);
  });

  it(
    "a failed compile never leaves its output behind for the last good version to pick up",
    {},
    () => {
      badInputs++;
      const good = 'import { bench } from "@choragen/perf/bench";\nbench("version one", () => 1);\n';
      const broken = 'import { bench } from "@choragen/perf/bench";\nbench("version two", () => 2);\nconst n: number = "not a number";\nvoid n;\n';
      const sandbox = stored({ "benchmarks/x.bench.ts": good, ".choragen/performance.yaml": "thresholds:\n  minScore: 0\n" });
      const first = sandbox.run(["perf:bench", "--quick", "--baseline-ref", "."]);
      assert.match(first.stdout, /version one/, transcript(first));
      sandbox.write("benchmarks/x.bench.ts", broken);
      const failing = sandbox.run(["perf:bench", "--quick", "--baseline-ref", "."]);
      assertFailedCheck(failing, [/benchmarks\/x\.bench\.ts:3:7/]);
      sandbox.write("benchmarks/x.bench.ts", good);
      const reverted = sandbox.run(["perf:bench", "--quick", "--baseline-ref", "."]);
      assert.match(reverted.stdout, /version one/, transcript(reverted));
      assert.doesNotMatch(reverted.stdout, /version two/, transcript(reverted));
    },
  );
});
