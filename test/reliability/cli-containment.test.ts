/**
 * Containment, end to end: whatever a user names a bench or a bench file, saving baselines writes
 * only under `.choragen/` (the whole folder around the project, a folder beside it and the CLI's
 * TMPDIR are snapshotted before and after), and the names come back intact. A config file can
 * neither run code (YAML tags) nor exhaust memory (alias bombs, deep nesting): the CLI, held to a
 * small heap, exits 2 with file:line:column and touches nothing.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { findAll, parseXml } from "../cli/xml";
import { Sandbox, WRITES, assertOnlyTouched, assertUserError, snapshot, transcript, type CliRun } from "./cli-harness";

const sandboxes: Sandbox[] = [];
after(() => sandboxes.forEach((s) => s.remove()));
let cases = 0;
after(() => console.log(`# cli-containment: ${cases} containment cases`));

function sandbox(files: Readonly<Record<string, string>>): Sandbox {
  const s = new Sandbox(files);
  sandboxes.push(s);
  return s;
}

const SAVE_WRITES = [...WRITES.cache, ...WRITES.results, ...WRITES.baselines];
const BASELINES = ".choragen/baselines";

function benchFile(names: readonly string[]): string {
  const lines = ['import { bench, do_not_optimize } from "@choragen/perf/bench";'];
  names.forEach((name, i) => lines.push(`bench(${JSON.stringify(name)}, () => do_not_optimize(${i} + Math.random()));`));
  return lines.join("\n") + "\n";
}

/** Saves baselines with the whole outer folder watched; returns the run. */
function saveWatched(s: Sandbox): CliRun {
  const before = snapshot(s.outer);
  const run = s.saveBaselines(["--baseline-ref", "."]);
  assert.notEqual(run.code, 2, transcript(run));
  assertOnlyTouched(before, snapshot(s.outer), SAVE_WRITES.map((p) => `project/${p}`), transcript(run));
  return run;
}

interface StoredBaseline {
  readonly schemaVersion: number;
  readonly file: string;
  readonly results: readonly { readonly id: string; readonly name: string }[];
}

function readBaselines(s: Sandbox): Map<string, StoredBaseline> {
  const out = new Map<string, StoredBaseline>();
  for (const name of fs.readdirSync(s.path(BASELINES))) {
    const full = s.path(`${BASELINES}/${name}`);
    assert.ok(fs.lstatSync(full).isFile(), `${name} is not a plain file`);
    out.set(name, JSON.parse(fs.readFileSync(full, "utf8")) as StoredBaseline);
  }
  return out;
}

interface JsonReport {
  readonly baseline: { readonly files: number } | null;
  readonly benches: readonly { readonly id: string; readonly file: string; readonly comparison?: { readonly verdict: string } }[];
}

/** perf:check against the saved baselines: every bench must find its own (not "new"). */
function assertEveryBenchCompared(s: Sandbox, expectedBenches: number): void {
  const check = s.run(["perf:check", "--baseline-ref", ".", "--reporter", "json"]);
  assert.notEqual(check.code, 2, transcript(check));
  const report = JSON.parse(check.stdout) as JsonReport;
  assert.equal(report.benches.length, expectedBenches, check.stdout);
  const uncompared = report.benches.filter((b) => b.comparison === undefined || b.comparison.verdict === "new");
  assert.deepEqual(uncompared.map((b) => `${b.file}: ${b.id}`), [], "benches that lost their baseline");
}

/** Characters XML 1.0 forbids, raw or as character references: a JUnit consumer rejects the whole file. */
function illegalXml(text: string): string[] {
  const forbidden = (code: number): boolean => (code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd) || code === 0xfffe || code === 0xffff;
  const found: string[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (forbidden(code)) found.push(`raw U+${code.toString(16).padStart(4, "0")}`);
  }
  for (const m of text.matchAll(/&#(x[0-9a-fA-F]+|\d+);/g)) {
    const code = m[1]!.startsWith("x") ? parseInt(m[1]!.slice(1), 16) : Number(m[1]);
    if (forbidden(code)) found.push(m[0]);
  }
  return found;
}

const EVIL_BENCH_NAMES = [
  "../../../escape",
  "/etc/passwd-bench",
  "x/../../y",
  "..",
  "nul\u0000inside",
  "n".repeat(3000),
  "ünïcödé ✓ 🚀 名前",
  "line\nbreak",
  "C:\\Windows\\System32\\evil",
  "$(touch pwned) `touch pwned`",
];

describe("bench names", () => {
  it("cannot steer where baselines are written, and come back intact", () => {
    cases += EVIL_BENCH_NAMES.length;
    const s = sandbox({ "benchmarks/names.bench.ts": benchFile(EVIL_BENCH_NAMES) });
    saveWatched(s);
    const baselines = readBaselines(s);
    assert.deepEqual([...baselines.keys()], ["benchmarks__names.bench.ts.json"]);
    const stored = baselines.get("benchmarks__names.bench.ts.json")!;
    assert.equal(stored.file, "benchmarks/names.bench.ts");
    assert.deepEqual(stored.results.map((r) => r.name), EVIL_BENCH_NAMES);
    assertEveryBenchCompared(s, EVIL_BENCH_NAMES.length);
    assert.equal(fs.existsSync(s.path("pwned")), false);
  });

  it("with control characters still give well-formed JUnit XML", () => {
    cases++;
    const s = sandbox({ "benchmarks/ctl.bench.ts": benchFile(["nul\u0000inside", "bell\u0007", "esc\u001b[31mred"]) });
    const run = s.run(["perf:bench", "--quick", "--reporter", "junit"]);
    assert.notEqual(run.code, 2, transcript(run));
    assert.deepEqual(illegalXml(run.stdout), [], run.stdout);
    const names = findAll(parseXml(run.stdout), "testcase").map((t) => t.attributes["name"] ?? "");
    assert.equal(names.filter((n) => n.startsWith("nul") || n.startsWith("bell") || n.startsWith("esc")).length, 3, run.stdout);
  });
});

/** Bench files whose paths hold what a baseline file name must not: each gets one bench. */
const EVIL_FILES = [
  "benchmarks/ünïcödé-名前 ✓.bench.ts",
  "benchmarks/with space.bench.ts",
  `benchmarks/${"l".repeat(200)}.bench.ts`,
  "benchmarks/a..b.bench.ts",
  "benchmarks/-rf.bench.ts",
  "benchmarks/$(touch pwned).bench.ts",
  "benchmarks/deep/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/deep.bench.ts",
];

describe("bench file names", () => {
  it("cannot steer where baselines are written; each file keeps its own baseline", () => {
    cases += EVIL_FILES.length;
    const files = Object.fromEntries(EVIL_FILES.map((f, i) => [f, benchFile([`bench ${i}`])]));
    const s = sandbox(files);
    saveWatched(s);
    const baselines = readBaselines(s);
    assert.deepEqual([...baselines.values()].map((b) => b.file).sort(), [...EVIL_FILES].sort());
    for (const name of baselines.keys()) assert.ok(!name.startsWith(".") && Buffer.byteLength(name) <= 255, name);
    assertEveryBenchCompared(s, EVIL_FILES.length);
    assert.equal(fs.existsSync(s.path("pwned")), false);
    assert.equal(fs.existsSync(s.path("benchmarks/pwned")), false);
  });

  it(
    "that differ only in characters a baseline name cannot hold keep separate baselines",
    {},
    () => {
      cases++;
      const colliding = ["benchmarks/a b.bench.ts", "benchmarks/a_b.bench.ts", "benchmarks/x/y.bench.ts", "benchmarks/x__y.bench.ts"];
      const s = sandbox(Object.fromEntries(colliding.map((f, i) => [f, benchFile([`only in ${i}`])])));
      saveWatched(s);
      assert.deepEqual([...readBaselines(s).values()].map((b) => b.file).sort(), [...colliding].sort());
      assertEveryBenchCompared(s, colliding.length);
    },
  );
});

describe("a bench file TypeScript cannot open", () => {
  it(
    "(a backslash in its name, legal on POSIX) fails alone; the other bench files still run",
    { skip: process.platform === "win32" ? "backslash is a separator on Windows" : false },
    () => {
      cases++;
      const s = sandbox({
        "benchmarks/back\\..\\slash.bench.ts": benchFile(["odd"]),
        "benchmarks/fine.bench.ts": benchFile(["fine"]),
      });
      const before = snapshot(s.outer);
      const run = s.run(["perf:bench", "--quick", "--baseline-ref", "."]);
      assertOnlyTouched(before, snapshot(s.outer), [...WRITES.cache, ...WRITES.results].map((p) => `project/${p}`), transcript(run));
      assert.match(run.stdout, /✓ fine\s+\d/, transcript(run));
      assert.match(run.stdout, /back\\\.\.\\slash\.bench\.ts/, transcript(run));
    },
  );
});

describe("links inside .choragen/", () => {
  it("a baseline or results file that is a symlink to a file outside is replaced, the outside file untouched", () => {
    cases += 2;
    const s = sandbox({ "benchmarks/x.bench.ts": benchFile(["linked"]) });
    // A first save gives valid content for the outside files the links point at.
    const first = s.saveBaselines(["--baseline-ref", "."]);
    assert.notEqual(first.code, 2, transcript(first));
    const baseline = `${BASELINES}/benchmarks__x.bench.ts.json`;
    const latest = ".choragen/results/latest.json";
    for (const [rel, outside] of [
      [baseline, "target-baseline.json"],
      [latest, "target-latest.json"],
    ] as const) {
      fs.copyFileSync(s.path(rel), path.join(s.beside, outside));
      fs.rmSync(s.path(rel));
      fs.symlinkSync(path.join(s.beside, outside), s.path(rel));
    }
    saveWatched(s);
    assert.ok(fs.lstatSync(s.path(baseline)).isFile(), "the baseline is a plain file again");
    assert.ok(fs.lstatSync(s.path(latest)).isFile(), "latest.json is a plain file again");
  });
});

/** Configs that try to run code or to blow up memory. `${OUT}` is replaced by a sentinel path. */
const HOSTILE_YAML: { name: string; yaml: string; line: number }[] = [
  {
    name: "a !!js/function tag",
    yaml: 'benchmarks:\n  regressionThreshold: !!js/function "function () { require(\'fs\').writeFileSync(\'${OUT}\', \'x\'); return 5; }"\n',
    line: 2,
  },
  { name: "a !!js/undefined tag", yaml: "thresholds:\n  minScore: !!js/undefined ''\n", line: 2 },
  { name: "a verbatim js/regexp tag", yaml: "benchmarks:\n  include: !<tag:yaml.org,2002:js/regexp> /x/\n", line: 2 },
  { name: "a python/object/apply tag", yaml: "benchmarks:\n  include: !!python/object/apply:os.system ['touch ${OUT}']\n", line: 2 },
  { name: "a custom !include tag", yaml: "benchmarks:\n  include: !include /etc/passwd\n", line: 2 },
  {
    name: "a billion-laughs alias bomb",
    yaml:
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' +
      "bcdefghi"
        .split("")
        .map((n, i) => `${n}: &${n} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(",")}]\n`)
        .join("") +
      "benchmarks:\n  include: *i\n",
    line: 0,
  },
  {
    name: "a merge-key bomb",
    yaml:
      "m0: &m0 { x: 1 }\n" +
      Array.from({ length: 30 }, (_, i) => `m${i + 1}: &m${i + 1}\n  <<: [*m${i}, *m${i}]\n  k${i + 1}: 1\n`).join("") +
      "benchmarks: *m30\n",
    line: 0,
  },
  { name: "10 000 nested flow sequences", yaml: `benchmarks:\n  include: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`, line: 2 },
  { name: "10 000 nested flow mappings", yaml: `benchmarks:\n  include: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`, line: 2 },
  { name: "a 20 MB value", yaml: `benchmarks:\n  baselineBranch: "${"b".repeat(20 * 1024 * 1024)}"\n`, line: 0 },
];

describe("a hostile performance.yaml", () => {
  for (const c of HOSTILE_YAML) {
    for (const command of [["perf:bench", "--quick"], ["perf:check"]]) {
      it(`${c.name}: ${command[0]} exits 2 with a location, runs nothing, touches nothing`, () => {
        cases++;
        const s = sandbox({ "benchmarks/x.bench.ts": benchFile(["never measured"]) });
        const sentinel = path.join(s.outer, "pwned");
        s.write(".choragen/performance.yaml", c.yaml.split("${OUT}").join(sentinel));
        const before = snapshot(s.outer);
        // A small heap: a config that expands in memory crashes the CLI instead of passing slowly.
        const run = s.run(command, { nodeArgs: ["--max-old-space-size=64"] });
        assertUserError(run, 2, [c.line > 0 ? new RegExp(`performance\\.yaml:${c.line}:\\d+`) : /performance\.yaml:\d+:\d+/]);
        assertOnlyTouched(before, snapshot(s.outer), [], transcript(run));
        assert.equal(fs.existsSync(sentinel), false, "the config ran code");
      });
    }
  }
});
