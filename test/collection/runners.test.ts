/**
 * `choragen perf -- <cmd>` with real test runners and every way a process ends: the exact violations
 * each run recorded reach the report (target, file, line, count), percentile contracts are judged on the
 * calls of all workers together, and a run that checked nothing fails. Vitest and Jest are the pinned
 * devDependencies, run as a user runs them.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { BIN, makeProject, REPO_ROOT, type TempProject } from "../cli/helpers";
import { join } from "node:path";

interface JsonReport {
  readonly passed: boolean;
  readonly failures: readonly string[];
  readonly violations: readonly { target: string; file: string; line: number; percentile?: number; context: { samples?: number } }[];
  readonly run: { exitCode: number | null; contracts: number; processes?: number; runtimeRealms?: number; violations: number };
}

interface Outcome {
  readonly code: number | null;
  readonly report: JsonReport;
  readonly stderr: string;
}

/** Runs the real CLI asynchronously (several runners start workers; a blocked test process would stall them). */
function perf(project: TempProject, command: readonly string[], flags: readonly string[] = []): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!/^(CHORAGEN_|GITHUB_|NODE_TEST_CONTEXT$|NODE_OPTIONS$|VITEST|JEST_WORKER_ID$)/.test(key)) env[key] = value;
    }
    const child = spawn(process.execPath, [BIN, "perf", "--reporter", "json", ...flags, "--", ...command], { cwd: project.dir, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => {
      try {
        resolve({ code, report: JSON.parse(stdout) as JsonReport, stderr });
      } catch {
        reject(new Error(`no JSON report (exit ${String(code)}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** The violations as `target file:line` → count, percentile ones marked with their samples. */
function tally(report: JsonReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of report.violations) {
    const key = `${v.target}${v.percentile !== undefined ? ` p${v.percentile} over ${String(v.context.samples)}` : ""} ${v.file}:${v.line}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const CONFIG = "benchmarks:\n  enabled: false\n";

// `slow` breaks its 1 ms budget on every call. `sometimes` is a p95 contract: each test file makes 10 calls
// (2 slow), too few for a worker to judge alone (a p95 needs 20), so only the calls of both files together
// decide it: 20 calls, 4 over the limit, p95 over budget.
const WORK = (lang: "ts" | "js"): string => `${lang === "ts" ? 'import { perf } from "@choragen/perf";' : 'const { perf } = require("@choragen/perf");'}

// Sleeps on a futex: real time passes even under fake timers, and no CPU is burnt.
function spin(ms${lang === "ts" ? ": number" : ""})${lang === "ts" ? ": void" : ""} {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

${lang === "ts" ? "export const slow =" : "exports.slow ="} perf.latency({ max: 1, unit: "ms", name: "slow" }, () => {
  spin(3);
  return 1;
});

${lang === "ts" ? "export const sometimes =" : "exports.sometimes ="} perf.latency({ max: 2, unit: "ms", percentile: 95, name: "sometimes" }, (slowCall${lang === "ts" ? ": boolean" : ""}) => {
  if (slowCall) spin(4);
  return 2;
});
`;

const TEST = (runner: "vitest" | "jest" | "node", name: string, slowCalls: number, lang: "ts" | "js"): string => {
  const imports =
    runner === "vitest"
      ? `import { test, expect } from "vitest";\nimport { slow, sometimes } from "../src/work";`
      : runner === "node"
        ? `const test = require("node:test");\nconst assert = require("node:assert");\nconst { slow, sometimes } = require("../src/work");\nconst expect = (v) => ({ toBe: (w) => assert.equal(v, w) });`
        : `const { slow, sometimes } = require("../src/work");`;
  void lang;
  return `${imports}

test("${name}", () => {
  for (let i = 0; i < ${slowCalls}; i++) expect(slow()).toBe(1);
  for (let i = 0; i < 10; i++) expect(sometimes(i < 2)).toBe(2);
});
`;
};

/** What every test-runner run must show: 5 violations of slow (2 + 3 calls), one merged p95 verdict over 20 calls. */
function assertRunnerOutcome(outcome: Outcome, work: string): void {
  assert.equal(outcome.code, 1, outcome.stderr);
  assert.deepEqual(tally(outcome.report), {
    [`slow ${work}:8`]: 5,
    [`sometimes p95 over 20 ${work}:13`]: 1,
  }, outcome.stderr);
  assert.equal(outcome.report.run.exitCode, 0);
  assert.equal(outcome.report.run.contracts, 2);
  assert.ok((outcome.report.run.runtimeRealms ?? 0) >= 2, `each test file is a realm of its own: ${JSON.stringify(outcome.report.run)}`);
}

describe("choragen perf -- vitest run (vitest 4, every pool)", () => {
  let project: TempProject;
  before(() => {
    project = makeProject({
      files: {
        ".choragen/performance.yaml": CONFIG,
        "src/work.ts": WORK("ts"),
        "test/a.test.ts": TEST("vitest", "a", 2, "ts"),
        "test/b.test.ts": TEST("vitest", "b", 3, "ts"),
        "vitest.config.mjs": "export default { test: { include: ['test/**/*.test.ts'] } };\n",
      },
    });
  });
  after(() => project.cleanup());

  for (const pool of ["threads", "forks", "vmThreads", "vmForks"]) {
    it(`--pool=${pool}: every worker's violations, the p95 judged over both workers`, async () => {
      const vitest = join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs");
      assertRunnerOutcome(await perf(project, ["node", vitest, "run", `--pool=${pool}`, "--maxWorkers=2"]), "src/work.ts");
    });
  }

  it("with the setup entry (@choragen/perf/vitest-setup) too", async () => {
    project.write("vitest.config.mjs", "export default { test: { include: ['test/**/*.test.ts'], setupFiles: ['@choragen/perf/vitest-setup'] } };\n");
    const vitest = join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs");
    assertRunnerOutcome(await perf(project, ["node", vitest, "run", "--pool=threads", "--maxWorkers=2"]), "src/work.ts");
  });
});

describe("choragen perf -- jest (jest 30)", () => {
  let project: TempProject;
  before(() => {
    project = makeProject({
      files: {
        ".choragen/performance.yaml": CONFIG,
        "src/work.js": WORK("js"),
        "test/a.test.js": TEST("jest", "a", 2, "js"),
        "test/b.test.js": TEST("jest", "b", 3, "js"),
        "jest.config.js": "module.exports = { testEnvironment: 'node', transform: {} };\n",
      },
    });
  });
  after(() => project.cleanup());

  const jest = join(REPO_ROOT, "node_modules", "jest", "bin", "jest.js");
  for (const flags of [[], ["-w", "2"], ["--runInBand"]]) {
    it(`jest ${flags.join(" ") || "(default workers)"}: every sandbox's violations, the p95 judged over both files`, async () => {
      assertRunnerOutcome(await perf(project, ["node", jest, ...flags]), "src/work.js");
    });
  }

  it("with the setup entry (@choragen/perf/jest-setup) and fake timers everywhere", async () => {
    project.write("jest.config.js", "module.exports = { testEnvironment: 'node', transform: {}, fakeTimers: { enableGlobally: true }, setupFilesAfterEnv: ['@choragen/perf/jest-setup'] };\n");
    assertRunnerOutcome(await perf(project, ["node", jest, "-w", "2"]), "src/work.js");
  });
});

describe("choragen perf -- node --test", () => {
  it("every test file's process delivers its violations", async () => {
    const project = makeProject({
      files: {
        ".choragen/performance.yaml": CONFIG,
        "src/work.js": WORK("js"),
        "test/a.test.js": TEST("node", "a", 2, "js"),
        "test/b.test.js": TEST("node", "b", 3, "js"),
      },
    });
    try {
      assertRunnerOutcome(await perf(project, ["node", "--test", "test/"]), "src/work.js");
    } finally {
      project.cleanup();
    }
  });
});

describe("every way a process ends", () => {
  let project: TempProject;
  before(() => {
    project = makeProject({
      files: {
        ".choragen/performance.yaml": CONFIG,
        "src/work.js": WORK("js"),
        // A worker thread that recorded two violations and is then ended with terminate().
        "terminate.js": `const { Worker, isMainThread, parentPort } = require("node:worker_threads");
if (isMainThread) {
  const worker = new Worker(__filename);
  worker.once("message", () => worker.terminate());
} else {
  const { slow } = require("./src/work");
  slow(); slow();
  parentPort.postMessage("done");
  setInterval(() => {}, 1000);
}
`,
        // A child that recorded two violations and is then ended with SIGTERM (SIGINT in the second run).
        "signal.js": `const { fork } = require("node:child_process");
if (process.argv[2] === "child") {
  const { slow } = require("./src/work");
  slow(); slow();
  process.send("done");
  setInterval(() => {}, 1000);
} else {
  const child = fork(__filename, ["child"]);
  child.once("message", () => child.kill(process.argv[2]));
  child.once("exit", (code, signal) => console.log("child ended by", signal));
}
`,
        "exit-mid.js": `const { slow } = require("./src/work");
slow(); slow();
setTimeout(() => slow(), 10_000);
process.exit(0);
`,
        "throws.js": `const { slow } = require("./src/work");
slow(); slow();
throw new Error("boom");
`,
      },
    });
  });
  after(() => project.cleanup());

  const expectSlow = (outcome: Outcome): void => assert.deepEqual(tally(outcome.report), { "slow src/work.js:8": 2 }, outcome.stderr);

  it("a worker thread ended with terminate()", async () => {
    const outcome = await perf(project, ["node", "terminate.js"]);
    expectSlow(outcome);
    assert.equal(outcome.code, 1);
  });

  for (const signal of ["SIGTERM", "SIGINT"]) {
    it(`a child process ended by ${signal}, which still dies of it`, async () => {
      const outcome = await perf(project, ["node", "signal.js", signal]);
      expectSlow(outcome);
      assert.match(outcome.stderr, new RegExp(`child ended by ${signal}`));
      assert.equal(outcome.code, 1);
    });
  }

  it("a program that calls process.exit(0) mid-run", async () => {
    const outcome = await perf(project, ["node", "exit-mid.js"]);
    expectSlow(outcome);
    assert.equal(outcome.report.run.exitCode, 0);
    assert.equal(outcome.code, 1);
  });

  it("a program that throws: its violations, and the failed run", async () => {
    const outcome = await perf(project, ["node", "throws.js"]);
    expectSlow(outcome);
    assert.equal(outcome.report.run.exitCode, 1);
    assert.ok(outcome.report.failures.some((f) => /exited with code 1/.test(f)), outcome.report.failures.join("\n"));
  });
});

describe("a gate that checked nothing does not pass", () => {
  let project: TempProject;
  before(() => {
    project = makeProject({
      files: {
        ".choragen/performance.yaml": CONFIG,
        "plain.js": "console.log('no contracts here');\n",
        "loads.js": "require('@choragen/perf');\nconsole.log('runtime loaded, nothing annotated');\n",
      },
    });
  });
  after(() => project.cleanup());

  it("a command whose processes never load @choragen/perf fails, saying which processes ran and the fix", async () => {
    const outcome = await perf(project, ["node", "plain.js"]);
    assert.equal(outcome.code, 1);
    assert.equal(outcome.report.passed, false);
    assert.equal(outcome.report.run.processes, 1);
    assert.equal(outcome.report.run.runtimeRealms, 0);
    const failure = outcome.report.failures.join("\n");
    assert.match(failure, /`node plain\.js` checked no contract: 1 Node\.js process or thread started \(.*plain\.js\), none loaded @choragen\/perf/);
    assert.match(failure, /pass --allow-no-contracts/);
  });

  it("one that loads the runtime but no annotated code fails, saying so", async () => {
    const outcome = await perf(project, ["node", "loads.js"]);
    assert.equal(outcome.code, 1);
    assert.match(outcome.report.failures.join("\n"), /@choragen\/perf was loaded \(in 1 process/);
  });

  it("one that starts no Node.js process at all fails", async () => {
    const outcome = await perf(project, ["true"]);
    assert.equal(outcome.code, 1);
    assert.match(outcome.report.failures.join("\n"), /`true` checked no contract: it started no Node\.js process/);
  });

  it("passes with --allow-no-contracts", async () => {
    const outcome = await perf(project, ["node", "plain.js"], ["--allow-no-contracts"]);
    assert.equal(outcome.code, 0, outcome.report.failures.join("\n"));
    assert.equal(outcome.report.passed, true);
  });
});

describe("bounded: counts exact, stored list capped, warn says each contract once", () => {
  let project: TempProject;
  before(() => {
    project = makeProject({
      files: {
        ".choragen/performance.yaml": CONFIG,
        // 25 000 violations of one contract: more than the 10 000 the collector stores.
        "flood.js": `const { perf } = require("@choragen/perf");
const tick = perf.latency({ max: 1, unit: "ns", name: "tick" }, (i) => i + 1);
let x = 0;
for (let i = 0; i < 25000; i++) x = tick(x);
console.log("done", x);
`,
        // Records two violations, says so, then waits to be killed outright.
        "killed.js": `const { slow } = require("./src/work");
slow(); slow();
process.stdout.write("recorded\\n");
setInterval(() => {}, 1000);
`,
        "src/work.js": WORK("js"),
      },
    });
  });
  after(() => project.cleanup());

  it("25 000 violations: all counted, 10 000 stored", async () => {
    const outcome = await perf(project, ["node", "flood.js"]);
    assert.equal(outcome.code, 1);
    assert.equal(outcome.report.run.violations, 25000);
    assert.equal(outcome.report.violations.length, 10000);
  });

  it("warn mode prints one line per contract and process, then the count", () => {
    const result = spawnSync(process.execPath, ["flood.js"], { cwd: project.dir, env: { ...process.env, CHORAGEN_PERF_ON_VIOLATION: "warn", CHORAGEN_PERF_REPORT: "" }, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 2, result.stderr);
    assert.match(lines[0] ?? "", /^\[choragen\/perf\] latency violation: tick took .* > 1 ns/);
    assert.equal(lines[1], "[choragen/perf] 24999 more violations of tick not printed (warn prints the first of each contract per process)");
  });

  it("SIGKILL: every violation recorded before the kill is in the report", async () => {
    const runner = `const { spawn } = require("node:child_process");
const child = spawn(process.execPath, ["killed.js"], { stdio: ["ignore", "pipe", "inherit"] });
child.stdout.once("data", () => child.kill("SIGKILL"));
child.once("exit", (code, signal) => console.log("killed by", signal));
`;
    project.write("kill-runner.js", runner);
    const outcome = await perf(project, ["node", "kill-runner.js"]);
    assert.deepEqual(tally(outcome.report), { "slow src/work.js:8": 2 }, outcome.stderr);
    assert.match(outcome.stderr, /killed by SIGKILL/);
  });
});
