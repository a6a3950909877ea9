/**
 * The CLI under hostile and careless input (issue 14), end to end with the real bin: bench files that
 * leave processes running, runs that measure nothing, commands that would check nothing, a failed bench
 * and its baseline, reporters against the verdict. Each case was red before its fix.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { BIN, Sandbox, WRITES, assertOnlyTouched, assertUserError, snapshot, transcript, type CliRun } from "./cli-harness";

const LATEST = ".choragen/results/latest.json";
const BASELINE = ".choragen/baselines/benchmarks__x.bench.ts.json";

const sandboxes: Sandbox[] = [];
after(() => sandboxes.forEach((s) => s.remove()));

function sandbox(files: Readonly<Record<string, string>> = {}, fixture?: string): Sandbox {
  const s = new Sandbox(files, fixture);
  sandboxes.push(s);
  return s;
}

let hostile = 0;
after(() => console.log(`# cli-hostile: ${hostile} hostile inputs tried`));

/** Processes that are alive and not zombies (a zombie has exited; only its parent's bookkeeping is left). */
function running(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
      return false;
    }
  });
}

/** Every process (not a zombie) whose process group is one of `groups`. */
function inGroups(groups: readonly number[]): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields: state, ppid, pgrp, ...
      if (fields[0] !== "Z" && groups.includes(Number(fields[2]))) out.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pidsIn = (dir: string): number[] => {
  try {
    return fs.readdirSync(dir).filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
};

/**
 * A bench file that forks `helper.js` (a long-lived process with our stdout/stderr, as plain `fork()`
 * gives it) at load time or inside a bench, and records the pids of the bench processes and helpers.
 */
function forkingProject(where: "load" | "bench"): Sandbox {
  const s = sandbox({ ".choragen/performance.yaml": "benchmarks:\n  timeoutMs: 5000\nthresholds:\n  minScore: 0\n" });
  const pids = s.path("pids");
  s.write(
    "helper.js",
    [
      'const fs = require("node:fs");',
      `fs.mkdirSync(${JSON.stringify(path.join(pids, "helper"))}, { recursive: true });`,
      `fs.writeFileSync(${JSON.stringify(path.join(pids, "helper"))} + "/" + process.pid, "");`,
      'process.stdout.write("helper running\\n");',
      "setInterval(() => {}, 1000);",
    ].join("\n"),
  );
  const fork = `require("node:child_process").fork(${JSON.stringify(s.path("helper.js"))});`;
  s.write(
    "benchmarks/fork.bench.ts",
    [
      'import { bench, do_not_optimize } from "@choragen/perf/bench";',
      "declare const process: { readonly pid: number };",
      "declare const require: (id: string) => any;",
      'const fs = require("node:fs");',
      `fs.mkdirSync(${JSON.stringify(path.join(pids, "bench"))}, { recursive: true });`,
      `fs.writeFileSync(${JSON.stringify(path.join(pids, "bench"))} + "/" + String(process.pid), "");`,
      where === "load" ? fork : "",
      'bench("plain sum", () => { let t = 0; for (let i = 0; i < 50; i++) t += i; return do_not_optimize(t); });',
      where === "bench" ? `bench("starts a helper and waits for it", () => { ${fork} for (;;) do_not_optimize(0); });` : "",
    ].join("\n") + "\n",
  );
  return s;
}

/** The bin with a hard limit, so a hang fails the test instead of the suite. */
function runBounded(s: Sandbox, args: readonly string[], limitMs: number): CliRun & { readonly ms: number } {
  const started = Date.now();
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: s.dir, env: s.env(), encoding: "utf8", timeout: limitMs });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

describe("1. a bench file that leaves a forked helper running", () => {
  for (const where of ["load", "bench"] as const) {
    it(`(forked ${where === "load" ? "while loading" : "by a bench that then hangs"}) does not hang the run, and nothing of its process tree survives`, async () => {
      hostile++;
      const s = forkingProject(where);
      // The limit is a hang detector, far above timeoutMs (5 s) plus compiling: not a speed measurement.
      const run = runBounded(s, ["perf:bench", "--quick"], 90_000);
      const helpers = pidsIn(s.path("pids/helper"));
      const benchProcesses = pidsIn(s.path("pids/bench"));
      try {
        assert.equal(run.signal, null, `the CLI hung until killed after ${run.ms} ms\n${transcript(run)}`);
        assert.ok(helpers.length > 0, `the helper never started\n${transcript(run)}`);
        if (where === "bench") {
          assert.equal(run.code, 1, transcript(run));
          assert.match(run.stdout, /starts a helper and waits for it/, transcript(run));
          assert.match(run.stdout + run.stderr, /timed out/, transcript(run));
        } else {
          assert.equal(run.code, 0, transcript(run));
        }
        assert.match(run.stdout, /plain sum/, transcript(run));
        const gone = await eventually(() => running(helpers).length === 0 && inGroups(benchProcesses).length === 0, 5_000);
        assert.ok(gone, `left running: helpers ${running(helpers).join(", ")}; in the bench processes' groups ${inGroups(benchProcesses).join(", ")}`);
      } finally {
        for (const pid of [...helpers, ...benchProcesses]) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // Gone, as it should be.
          }
        }
      }
    });
  }
});

describe("3. a run that measured nothing does not replace the last good results", () => {
  it("perf:bench --filter matching no bench: exit 2, latest.json untouched, perf:check judges the last good run", () => {
    hostile++;
    const s = sandbox({}, "stored");
    const before = snapshot(s.outer);
    const run = s.run(["perf:bench", "--quick", "--filter", "no-such-bench"]);
    assertUserError(run, 2, [/no benchmark matched --filter "no-such-bench"/]);
    assertOnlyTouched(before, snapshot(s.outer), WRITES.cache.map((p) => `project/${p}`), transcript(run));
    const check = s.run(["perf:check"]);
    assert.equal(check.code, 0, transcript(check));
    assert.match(check.stdout, /sum/, transcript(check));
  });

  it("with no earlier results, perf:check after an empty run fails instead of passing on 0 benches", () => {
    hostile++;
    const s = sandbox({}, "stored");
    fs.rmSync(s.path(LATEST));
    const run = s.run(["perf:bench", "--quick", "--filter", "no-such-bench"]);
    assertUserError(run, 2, [/no benchmark matched/]);
    assert.equal(fs.existsSync(s.path(LATEST)), false, "an empty run was written as the latest results");
    assertUserError(s.run(["perf:check"]), 2, [/nothing to check/]);
  });

  it("an empty latest.json left by an older version is not judged as a pass", () => {
    hostile++;
    const s = sandbox({}, "stored");
    const latest = JSON.parse(s.read(LATEST)) as Record<string, unknown>;
    s.write(LATEST, JSON.stringify({ ...latest, results: [], fileFailures: [], violations: [] }, null, 2) + "\n");
    assertUserError(s.run(["perf:check"]), 2, [/nothing to check/, /measured no benchmark/]);
  });

  it("outside any project, an empty run creates no .choragen/ where it was started", () => {
    hostile++;
    const s = sandbox();
    const bare = path.join(s.outer, "bare");
    fs.mkdirSync(bare);
    const result = spawnSync(process.execPath, [BIN, "perf:bench", "--quick", "--filter", "nothing"], { cwd: bare, env: s.env(), encoding: "utf8", timeout: 60_000 });
    assert.equal(result.status, 2, `${result.stdout}\n${result.stderr}`);
    assert.deepEqual(fs.readdirSync(bare), [], "the run wrote into a folder that is no project");
  });
});

describe("4. `choragen perf` that would check nothing does not pass", () => {
  const disabled = { ".choragen/performance.yaml": "benchmarks:\n  enabled: false\n" };

  it("benchmarks disabled and no program: exit 2, says there is nothing to check", () => {
    hostile++;
    const s = sandbox(disabled);
    assertUserError(s.run(["perf"]), 2, [/nothing to check/, /benchmarks\.enabled: false/]);
  });

  it("benchmarks disabled and `--` followed by nothing ($EMPTY): exit 2", () => {
    hostile++;
    const s = sandbox(disabled);
    assertUserError(s.run(["perf", "--"]), 2, [/nothing to check/]);
  });

  it('an empty command after `--` (`-- ""`): exit 2, named as such', () => {
    hostile++;
    const s = sandbox(disabled);
    assertUserError(s.run(["perf", "--", ""]), 2, [/command after `--` is empty/]);
  });
});

type Json = Record<string, unknown>;

function editJson(s: Sandbox, file: string, edit: (value: Json) => void): void {
  const value = JSON.parse(s.read(file)) as Json;
  edit(value);
  s.write(file, JSON.stringify(value, null, 2) + "\n");
}

/** Every stored result three times slower than the baseline (the calibration, the machine's speed, unchanged). */
function threeTimesSlower(s: Sandbox): void {
  editJson(s, LATEST, (v) => {
    for (const r of v["results"] as Json[]) {
      const stats = r["stats"] as Json;
      for (const key of ["p50", "p75", "p99", "min", "max", "mean"]) stats[key] = (stats[key] as number) * 3;
      stats["sampleSet"] = (stats["sampleSet"] as number[]).map((x) => x * 3);
    }
  });
}

describe("6. --save-baseline keeps the old baseline of a bench that failed in that run", () => {
  it("a bench that throws keeps its stored baseline; the others are replaced", () => {
    hostile++;
    const s = sandbox({}, "stored");
    const before = JSON.parse(s.read(BASELINE)) as { results: { id: string; stats: unknown }[] };
    const sumBefore = before.results.find((r) => r.id === "sum");
    assert.ok(sumBefore, "the fixture's baseline has 'sum'");
    s.write(
      "benchmarks/x.bench.ts",
      [
        'import { bench, group, do_not_optimize } from "@choragen/perf/bench";',
        'bench("sum", () => { throw new Error("broken today"); });',
        'group("json", () => {',
        '  bench("stringify", () => do_not_optimize(JSON.stringify({ a: [1, 2, 3], b: "x" })));',
        "});",
      ].join("\n") + "\n",
    );
    const run = s.saveBaselines();
    assert.equal(run.code, 1, transcript(run));
    const afterSave = JSON.parse(s.read(BASELINE)) as { results: { id: string; stats: unknown }[] };
    assert.deepEqual(afterSave.results.find((r) => r.id === "sum"), sumBefore, "the failed bench's baseline was lost or changed");
    assert.notDeepEqual(afterSave.results.find((r) => r.id === "json/stringify"), before.results.find((r) => r.id === "json/stringify"));
  });
});

describe("7. reporters follow the verdict: a slowdown the verdict does not count is no failure anywhere", () => {
  const cases: { name: string; edit: (s: Sandbox) => void; why: RegExp }[] = [
    { name: "a --quick run", edit: (s) => editJson(s, LATEST, (v) => void (v["quick"] = true)), why: /--quick run: not counted/ },
    {
      name: "a baseline from another machine",
      edit: (s) => editJson(s, BASELINE, (v) => void ((v["machine"] as Json)["cpu"] = "Some Other CPU @ 1.00GHz")),
      why: /another machine/,
    },
  ];
  for (const c of cases) {
    it(`${c.name}, three times slower: exit 0 with every reporter; no error annotation, no JUnit failure, no red mark, "fastest" not "median"`, () => {
      hostile++;
      const s = sandbox({}, "stored");
      threeTimesSlower(s);
      c.edit(s);
      for (const reporter of ["pretty", "github", "junit", "markdown", "json"]) {
        const run = s.run(["perf:check", "--baseline-ref", ".", "--reporter", reporter], { env: { GITHUB_WORKSPACE: s.dir } });
        assert.equal(run.code, 0, `${reporter}\n${transcript(run)}`);
        assert.match(run.stdout, c.why, `${reporter}: the warning says why it is not counted\n${transcript(run)}`);
        assert.doesNotMatch(run.stdout, /median [+−-]\d/, `${reporter}\n${transcript(run)}`);
        if (reporter === "github") assert.doesNotMatch(run.stdout, /^::error/m, transcript(run));
        if (reporter === "junit") {
          assert.match(run.stdout, /<testsuites [^>]*failures="0" errors="0"/, transcript(run));
          assert.doesNotMatch(run.stdout, /<failure/, transcript(run));
        }
        if (reporter === "pretty" || reporter === "github") assert.doesNotMatch(run.stdout, /✗ (sum|json\/stringify)/, transcript(run));
        if (reporter === "markdown") assert.doesNotMatch(run.stdout, /❌|🔺/, transcript(run));
        if (reporter === "json") {
          const report = JSON.parse(run.stdout) as { passed: boolean; benches: { regressionCounted: boolean }[] };
          assert.equal(report.passed, true);
          assert.ok(report.benches.every((b) => !b.regressionCounted));
        }
      }
    });
  }

  it("control: the same slowdown on this machine in a full run fails in every reporter", () => {
    const s = sandbox({}, "stored");
    threeTimesSlower(s);
    const github = s.run(["perf:check", "--baseline-ref", ".", "--reporter", "github"], { env: { GITHUB_WORKSPACE: s.dir } });
    assert.equal(github.code, 1, transcript(github));
    assert.match(github.stdout, /^::error [^\n]*title=Benchmark regression::sum: fastest time/m, transcript(github));
    const junit = s.run(["perf:check", "--baseline-ref", ".", "--reporter", "junit"]);
    assert.match(junit.stdout, /<failure type="regression" message="regression: fastest time/, transcript(junit));
  });
});

describe("5. --config is the config bench files are compiled with", () => {
  it("a 1 ns default latency budget in ci/strict.yaml catches @perf.latency() in benchmarked code; without --config it does not", () => {
    hostile++;
    const s = sandbox({
      "ci/strict.yaml": "contracts:\n  latency:\n    default: { max: 1, unit: ns }\nthresholds:\n  minScore: 0\n",
      ".choragen/performance.yaml": "thresholds:\n  minScore: 0\n",
      "benchmarks/work.bench.ts": [
        'import { bench, do_not_optimize } from "@choragen/perf/bench";',
        'import { perf } from "@choragen/perf";',
        "class Work {",
        "  @perf.latency()",
        "  run(): number { let t = 0; for (let i = 0; i < 2000; i++) t += i; return t; }",
        "}",
        "const w = new Work();",
        'bench("work", () => do_not_optimize(w.run()));',
      ].join("\n") + "\n",
    });
    const printed = s.run(["perf:check", "--print-config", "--config", "ci/strict.yaml"]);
    assert.match(printed.stdout, /1 ns|max: 1\b/, transcript(printed));
    const strict = s.run(["perf:bench", "--quick", "--config", "ci/strict.yaml"]);
    assert.equal(strict.code, 1, `the strict config's budget was not applied\n${transcript(strict)}`);
    assert.match(strict.stdout, /Work\.run/, transcript(strict));
    const lax = s.run(["perf:bench", "--quick"]);
    assert.equal(lax.code, 0, `control: the project's own config has the 200 ms default\n${transcript(lax)}`);
  });
});

describe("9. malformed entries in stored files: the file and the field named, exit 2, no internal error", () => {
  const firstResult = (v: Json): Json => (v["results"] as Json[])[0]!;
  const firstStats = (v: Json): Json => firstResult(v)["stats"] as Json;
  const latestCases: { name: string; edit: (v: Json) => void; field: RegExp }[] = [
    { name: "a violation that is a number", edit: (v) => void (v["violations"] = [42]), field: /violations\[0\]/ },
    { name: "a violation without its fields", edit: (v) => void (v["violations"] = [{ contractId: "x" }]), field: /violations\[0\]\.kind/ },
    { name: "a violation of an unknown unit", edit: (v) => void (v["violations"] = [{ contractId: "x", kind: "latency", target: "t", file: "f", line: 1, measured: 2, threshold: 1, unit: "parsecs", timestamp: 0 }]), field: /violations\[0\]\.unit/ },
    { name: "a file failure that is null", edit: (v) => void (v["fileFailures"] = [null]), field: /fileFailures\[0\]/ },
    { name: "a file failure of an unknown kind", edit: (v) => void (v["fileFailures"] = [{ file: "f", message: "m", kind: "meltdown" }]), field: /fileFailures\[0\]\.kind/ },
    { name: "an error that is a number", edit: (v) => void (firstResult(v)["error"] = 5), field: /results\[0\]\.error/ },
    { name: "a group that is an object", edit: (v) => void (firstResult(v)["group"] = {}), field: /results\[0\]\.group/ },
    { name: "a budget of an unknown unit", edit: (v) => void (firstResult(v)["budget"] = { p99: { max: 1, unit: "fortnights" } }), field: /results\[0\]\.budget\.p99\.unit/ },
    { name: "a budget that is a string", edit: (v) => void (firstResult(v)["fileBudget"] = "fast"), field: /results\[0\]\.fileBudget/ },
    { name: "quick that is a string", edit: (v) => void (v["quick"] = "yes"), field: /quick/ },
    { name: "a negative time", edit: (v) => void (firstStats(v)["p99"] = -5), field: /results\[0\]\.stats\.p99/ },
    { name: "a fractional sample count", edit: (v) => void (firstStats(v)["samples"] = 1.5), field: /results\[0\]\.stats\.samples/ },
  ];
  for (const c of latestCases) {
    it(`latest.json with ${c.name}`, () => {
      hostile++;
      const s = sandbox({}, "stored");
      editJson(s, LATEST, c.edit);
      assertUserError(s.run(["perf:check"]), 2, [LATEST, c.field]);
    });
  }

  const baselineCases: { name: string; edit: (v: Json) => void; field: RegExp }[] = [
    { name: "a zero fastest time", edit: (v) => void (firstStats(v)["min"] = 0), field: /results\[0\]\.stats\.min: expected a time in ns above 0/ },
    { name: "a negative fastest time", edit: (v) => void (firstStats(v)["min"] = -1), field: /results\[0\]\.stats\.min/ },
    { name: "a zero median", edit: (v) => void (firstStats(v)["p50"] = 0), field: /results\[0\]\.stats\.p50/ },
    { name: "negative samples", edit: (v) => void (firstStats(v)["sampleSet"] = [-3, -2, -1]), field: /results\[0\]\.stats\.sampleSet\[0\]/ },
    { name: "a zero calibration", edit: (v) => void (firstStats(v)["calibration"] = 0), field: /results\[0\]\.stats\.calibration/ },
  ];
  for (const c of baselineCases) {
    it(`a baseline with ${c.name} is refused, not silently compared`, () => {
      hostile++;
      const s = sandbox({}, "stored");
      editJson(s, BASELINE, c.edit);
      assertUserError(s.run(["perf:check"]), 2, [BASELINE, c.field]);
    });
  }
});

describe("8. bench files whose names differ only in case", () => {
  it("are two bench files, each measured (TypeScript refuses them in one program: TS1149)", () => {
    hostile++;
    const s = sandbox({
      ".choragen/performance.yaml": "thresholds:\n  minScore: 0\n",
      "benchmarks/parse.bench.ts": 'import { bench } from "@choragen/perf/bench";\nbench("lower", () => 1);\n',
      "benchmarks/Parse.bench.ts": 'import { bench } from "@choragen/perf/bench";\nbench("upper", () => 2);\n',
    });
    const run = s.run(["perf:bench", "--quick"]);
    assert.equal(run.code, 0, transcript(run));
    assert.doesNotMatch(run.stdout + run.stderr, /TS1149/, transcript(run));
    assert.match(run.stdout, /✓ lower/, transcript(run));
    assert.match(run.stdout, /✓ upper/, transcript(run));
  });
});

describe("8. files that --filter leaves out are not loaded", () => {
  it("a bench file none of whose (literal) benches match runs no top-level code; one with names built at run time still loads", () => {
    hostile++;
    const marker = (name: string): string => `require("node:fs").writeFileSync(${JSON.stringify(name)}, "loaded");`;
    const s = sandbox({ ".choragen/performance.yaml": "thresholds:\n  minScore: 0\n" });
    const header = 'import { bench, group } from "@choragen/perf/bench";\ndeclare const require: (id: string) => any;\n';
    s.write("benchmarks/wanted.bench.ts", `${header}bench("wanted", () => 1);\n`);
    s.write("benchmarks/other.bench.ts", `${header}${marker(s.path("other-loaded"))}\ngroup("g", () => { bench("other", () => 2); });\n`);
    s.write("benchmarks/dynamic.bench.ts", `${header}${marker(s.path("dynamic-loaded"))}\nfor (const n of [1, 2]) bench("dyn " + n, () => n);\n`);
    const run = s.run(["perf:bench", "--quick", "--filter", "^wanted$"]);
    assert.equal(run.code, 0, transcript(run));
    assert.match(run.stdout, /✓ wanted/, transcript(run));
    assert.equal(fs.existsSync(s.path("other-loaded")), false, "a bench file the filter leaves out was loaded");
    assert.equal(fs.existsSync(s.path("dynamic-loaded")), true, "a file whose bench names are not literal must still be loaded (its names may match)");
    const all = s.run(["perf:bench", "--quick"]);
    assert.match(all.stdout, /g\/other/, transcript(all));
  });
});

describe("10. smaller things", () => {
  it("a config of invalid UTF-8 is called that, at its line and column, not 'too large'", () => {
    hostile += 2;
    const s = sandbox();
    s.write(".choragen/performance.yaml", Buffer.concat([Buffer.from("benchmarks:\n  enabled: tr"), Buffer.from([0xff, 0xfe]), Buffer.from("ue\n")]));
    assertUserError(s.run(["perf:check"]), 2, [/performance\.yaml:2:14/, /not valid UTF-8/, /0xff/]);
    // 600 KB of invalid bytes: under the 1 MB limit, three times over it once each byte is decoded to U+FFFD.
    s.write(".choragen/performance.yaml", Buffer.alloc(600 * 1024, 0xff));
    const run = s.run(["perf:check"]);
    assertUserError(run, 2, [/not valid UTF-8/]);
    assert.doesNotMatch(run.stderr, /too large/, transcript(run));
  });

  it("a config over the size limit is reported with its real size in bytes (not the size of its decoded text)", () => {
    hostile++;
    const s = sandbox();
    const file = s.write(".choragen/performance.yaml", Buffer.concat([Buffer.from("# "), Buffer.alloc(1200 * 1024, 0xfe)]));
    const size = fs.statSync(file).size;
    assertUserError(s.run(["perf:check"]), 2, [/too large/, new RegExp(`\\(${size} bytes\\)`)]);
  });

  it("a symlinked bench file is named, not skipped in silence", () => {
    hostile++;
    const s = sandbox({ "shared/real.ts": 'import { bench } from "@choragen/perf/bench";\nbench("linked", () => 1);\n' });
    fs.mkdirSync(s.path("benchmarks"), { recursive: true });
    fs.symlinkSync(s.path("shared/real.ts"), s.path("benchmarks/linked.bench.ts"));
    const run = s.run(["perf:bench", "--quick"]);
    assert.equal(run.code, 1, transcript(run));
    assert.match(run.stdout, /benchmarks\/linked\.bench\.ts.*symbolic link/, transcript(run));
  });

  it("a committed baseline over 256 MB: a clear error naming it, and no silent fallback with baselineBranch", () => {
    hostile += 2;
    const s = sandbox({}, "stored");
    s.git("init", "-q");
    s.git("add", "-A");
    s.git("commit", "-q", "-m", "stored");
    // 270 MB of spaces: tiny once compressed in git, too large to read back.
    const blob = spawnSync("sh", ["-c", "head -c 270000000 /dev/zero | tr '\\0' ' ' | git hash-object -w --stdin"], { cwd: s.dir, encoding: "utf8" });
    assert.equal(blob.status, 0, blob.stderr);
    s.git("update-index", "--add", "--cacheinfo", `100644,${blob.stdout.trim()},.choragen/baselines/big.json`);
    s.git("commit", "-q", "-m", "big baseline");
    const explicit = s.run(["perf:check", "--baseline-ref", "HEAD"]);
    assertUserError(explicit, 2, [/big\.json/, /larger than 256 MB/]);
    s.write(".choragen/performance.yaml", "benchmarks:\n  baselineBranch: HEAD\n");
    const configured = s.run(["perf:check"]);
    assertUserError(configured, 2, [/big\.json/, /larger than 256 MB/]);
  });

  for (const value of ["THROW", "", "garbage"]) {
    it(`CHORAGEN_PERF_ON_VIOLATION=${JSON.stringify(value)} for the program of \`choragen perf --\` is a clear error`, () => {
      hostile++;
      const s = sandbox({ ".choragen/performance.yaml": "benchmarks:\n  enabled: false\n" });
      const run = s.run(["perf", "--", process.execPath, "-e", "0"], { env: { CHORAGEN_PERF_ON_VIOLATION: value } });
      assertUserError(run, 2, [/CHORAGEN_PERF_ON_VIOLATION/, /record, warn, throw/]);
    });
  }

  it("control: CHORAGEN_PERF_ON_VIOLATION=throw is accepted", () => {
    const s = sandbox({ ".choragen/performance.yaml": "benchmarks:\n  enabled: false\n" });
    const run = s.run(["perf", "--", process.execPath, "-e", "0"], { env: { CHORAGEN_PERF_ON_VIOLATION: "throw" } });
    assert.doesNotMatch(run.stderr, /CHORAGEN_PERF_ON_VIOLATION/, transcript(run));
  });
});
