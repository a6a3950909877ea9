import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { compileBenchFiles } from "../../cli/engine/compile";
import { judge, readLatestResults, runBenchmarks, type ProgressEvent } from "../../cli/engine/index";
import { engineConfig, makeProject, removeProject } from "./helpers";
import { verdictWords } from "../../cli/report/words";

test("real bench files: results, a throwing bench named while the others run, contract violations collected", async () => {
  const root = makeProject();
  try {
    const events: ProgressEvent[] = [];
    const run = await runBenchmarks({
      root,
      quick: true,
      config: engineConfig({ budgets: { "sum 1k": { p50: { max: 20, unit: "s" } } } }),
      onProgress: (e) => events.push(e),
    });
    assert.deepEqual(
      run.results.map((r) => `${r.file} ${r.id}`),
      [
        "benchmarks/basic.bench.ts math/sum 1k",
        "benchmarks/basic.bench.ts math/sum 10k",
        "benchmarks/basic.bench.ts async sum",
        "benchmarks/basic.bench.ts generator setup",
        "benchmarks/contract.bench.ts slow parse",
        "benchmarks/throws.bench.ts before",
        "benchmarks/throws.bench.ts boom",
        "benchmarks/throws.bench.ts after",
      ],
    );
    for (const r of run.results.filter((x) => x.id !== "boom")) {
      const s = r.stats;
      assert.ok(s !== undefined, `${r.id} has stats`);
      assert.ok(s.min <= s.p50 && s.p50 <= s.p75 && s.p75 <= s.p99 && s.p99 <= s.max, `${r.id} percentiles ordered`);
      assert.ok(s.mean >= s.min && s.mean <= s.max);
      assert.ok(s.samples >= 16 && s.sampleSet.length > 0 && s.sampleSet.length <= Math.min(512, s.samples));
      assert.ok(s.heapPerIter === undefined || s.heapPerIter >= 0);
      assert.equal(s.blocks?.length, 4, "quick mode measures in 4 blocks");
    }
    const boom = run.results.find((r) => r.id === "boom");
    assert.equal(boom?.stats, undefined);
    assert.match(boom?.error ?? "", /^RangeError: the input is out of range \(at benchmarks\/throws\.bench\.ts:5:9\)$/);
    // Budgets: the bench file's, with the config's merged over it (config wins).
    assert.deepEqual(run.results[0]?.budget, { p50: { max: 20, unit: "s" } });
    assert.deepEqual(run.results[1]?.budget, { p99: { max: 10, unit: "s" }, heap: { max: 1, unit: "GB" } });
    assert.equal(run.results[1]?.group, "math");
    // The contract inside the benchmarked code was live (instrument mode) and its violations reached us.
    const v = run.violations.find((x) => x.target === "Parser.parse");
    assert.ok(v !== undefined, "violation of Parser.parse collected");
    assert.equal(v.file, "src/slow.ts");
    assert.equal(v.line, 5);
    assert.equal(run.machine.node, process.version);
    assert.equal(run.quick, true);
    // Streamed progress: one bench-done per bench, each before its file-done.
    assert.equal(events.filter((e) => e.type === "bench-done").length, 8);
    assert.deepEqual(events[0], { type: "compile", files: 3, cached: 0 });
    assert.deepEqual(readLatestResults(root), JSON.parse(JSON.stringify(run)));

    const verdict = judge({ config: engineConfig(), results: run });
    assert.equal(verdict.passed, false);
    assert.ok(verdictWords(verdict).failures.some((f) => f.startsWith("boom (benchmarks/throws.bench.ts): failed: RangeError")));
    assert.ok(verdict.deductions.some((d) => d.kind === "violation" && d.target === "Parser.parse" && d.line === 5));
    // Every call broke the contract: 100 violations kept, the rest counted by contract, and all of them judged.
    const kept = run.violations.filter((x) => x.contractId === v.contractId).length;
    const omitted = run.violationsOmittedByContract?.[v.contractId] ?? 0;
    assert.equal(kept, 100);
    assert.ok(omitted > 0, "more violations than kept");
    assert.equal(Object.values(run.violationsOmittedByContract ?? {}).reduce((a, b) => a + b, 0), run.violationsOmitted);
    assert.equal(verdict.violationCounts[v.contractId], kept + omitted);
    assert.ok(verdictWords(verdict).deductions.some((d) => d.target === "Parser.parse" && d.reason.includes(`: ${kept + omitted} latency violations`)));

    // Second run, nothing changed: no recompilation; a filter keeps only matching benches.
    const again: ProgressEvent[] = [];
    const filtered = await runBenchmarks({ root, quick: true, filter: /^math\//, config: engineConfig(), onProgress: (e) => again.push(e) });
    assert.deepEqual(again[0], { type: "compile", files: 3, cached: 3 });
    assert.deepEqual(filtered.results.map((r) => r.id), ["math/sum 1k", "math/sum 10k"]);
    assert.equal(filtered.filter, "^math\\/");
  } finally {
    removeProject(root);
  }
});

test("a bench that hangs is killed at the timeout, one that exits the process is named, the rest still run", async () => {
  const root = makeProject();
  try {
    const run = await runBenchmarks({ root, quick: true, config: engineConfig({ include: ["failing/*.bench.ts"], timeoutMs: 3_000 }) });
    const byId = new Map(run.results.map((r) => [r.id, r]));
    assert.match(byId.get("calls process.exit")?.error ?? "", /the process exited with code 3 while this benchmark ran/);
    assert.ok(byId.get("survivor")?.stats !== undefined, "the bench after process.exit ran in a fresh process");
    assert.ok(byId.get("quick one")?.stats !== undefined);
    assert.equal(byId.get("hangs forever")?.timedOut, true);
    assert.match(byId.get("hangs forever")?.error ?? "", /^no result within 3000 ms \(benchmarks\.timeoutMs\)/);
    assert.ok(byId.get("after the hang")?.stats !== undefined, "the bench after the hang ran");
    assert.deepEqual(run.fileFailures, [
      { file: "failing/load-throws.bench.ts", kind: "load", message: "Error: cannot load the fixture data (at failing/load-throws.bench.ts:4:7)" },
    ]);
  } finally {
    removeProject(root);
  }
});

test("a bench file with a TypeScript error is reported with file:line:col and not run", async () => {
  const root = makeProject();
  try {
    const run = await runBenchmarks({ root, quick: true, config: engineConfig({ include: ["broken/*.bench.ts", "benchmarks/throws.bench.ts"] }) });
    assert.deepEqual(run.fileFailures, [
      {
        file: "broken/type-error.bench.ts",
        kind: "compile",
        message: "broken/type-error.bench.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'.",
        line: 3,
        column: 7,
      },
    ]);
    assert.equal(run.results.filter((r) => r.file === "benchmarks/throws.bench.ts").length, 3, "other files still run");
    const verdict = judge({ config: engineConfig(), results: run });
    // The location is named once, not again from the start of TypeScript's message.
    assert.ok(
      verdictWords(verdict).failures.includes("broken/type-error.bench.ts:3:7: does not compile: error TS2322: Type 'string' is not assignable to type 'number'."),
      verdictWords(verdict).failures.join("\n"),
    );
  } finally {
    removeProject(root);
  }
});

test("compile cache: a second compile with no change reuses the output; changing an imported file recompiles only its dependants", () => {
  const root = makeProject();
  try {
    const files = ["benchmarks/basic.bench.ts", "benchmarks/throws.bench.ts"];
    const first = compileBenchFiles(files, { root });
    assert.deepEqual(first.map((c) => c.cached), [false, false]);
    const entry = first[0]?.entry;
    assert.ok(entry !== undefined && fs.existsSync(entry));
    const stamp = fs.statSync(entry).mtimeMs;
    const second = compileBenchFiles(files, { root });
    assert.deepEqual(second.map((c) => c.cached), [true, true]);
    assert.equal(second[0]?.entry, entry);
    assert.equal(fs.statSync(entry).mtimeMs, stamp, "the cached output was not rewritten");
    fs.appendFileSync(path.join(root, "src", "math.ts"), "\nexport const changed = true;\n");
    assert.deepEqual(compileBenchFiles(files, { root }).map((c) => c.cached), [false, true]);
    // The instrumented output is what runs: the contract's probe is inlined, the annotation gone.
    const [contract] = compileBenchFiles(["benchmarks/contract.bench.ts"], { root });
    const emitted = fs.readFileSync(path.join(path.dirname(contract!.entry!), "..", "src", "slow.js"), "utf8");
    assert.match(emitted, /@choragen\/perf\/probe/);
    assert.doesNotMatch(emitted, /perf\.latency\(/);
  } finally {
    removeProject(root);
  }
});

test("standard mode pools two processes; a bench that failed in the first is not run again", async () => {
  const root = makeProject();
  try {
    const events: ProgressEvent[] = [];
    const run = await runBenchmarks({ root, config: engineConfig({ include: ["benchmarks/throws.bench.ts"] }), onProgress: (e) => events.push(e) });
    assert.deepEqual(run.results.map((r) => r.id), ["before", "boom", "after"]);
    for (const id of ["before", "after"]) {
      const s = run.results.find((r) => r.id === id)?.stats;
      assert.equal(s?.blocks?.length, 8, `${id}: 4 blocks from each of two processes`);
      assert.ok(s.calibration !== undefined && s.calibration > 0);
    }
    assert.match(run.results[1]?.error ?? "", /^RangeError/);
    assert.equal(events.filter((e) => e.type === "bench-start" && e.id === "boom").length, 1, "boom ran once");
    assert.equal(events.filter((e) => e.type === "bench-done").length, 3, "one bench-done per bench");
  } finally {
    removeProject(root);
  }
});

test("a bench the third pass selects is measured in a third process and pooled; the others are not", async () => {
  const root = makeProject();
  try {
    const events: ProgressEvent[] = [];
    const asked: string[] = [];
    const run = await runBenchmarks({
      root,
      config: engineConfig({ include: ["benchmarks/throws.bench.ts"] }),
      thirdPass: {
        select: (r) => {
          asked.push(`${r.id} ${r.stats?.blocks?.length ?? "-"}`);
          return r.id === "after";
        },
        reason: "confirm-regression",
      },
      onProgress: (e) => events.push(e),
    });
    assert.deepEqual(asked, ["before 8", "after 8"], "asked once per measured bench, with the two-process pool");
    assert.equal(run.results.find((r) => r.id === "before")?.stats?.blocks?.length, 8);
    assert.equal(run.results.find((r) => r.id === "after")?.stats?.blocks?.length, 12, "4 blocks from each of three processes");
    assert.match(run.results.find((r) => r.id === "boom")?.error ?? "", /^RangeError/);
    assert.deepEqual(
      events.filter((e) => e.type === "third-pass"),
      [{ type: "third-pass", file: "benchmarks/throws.bench.ts", ids: ["after"], reason: "confirm-regression" }],
    );
    const starts = (id: string): number => events.filter((e) => e.type === "bench-start" && e.id === id).length;
    assert.deepEqual([starts("before"), starts("boom"), starts("after")], [2, 1, 3]);
    // The progress shows each bench once, with its final result, after the third process.
    const done = events.flatMap((e) => (e.type === "bench-done" ? [e.result] : []));
    assert.deepEqual(done.map((r) => r.id), ["before", "boom", "after"]);
    assert.equal(done[2]?.stats?.blocks?.length, 12);
    assert.ok(events.findIndex((e) => e.type === "third-pass") < events.findIndex((e) => e.type === "bench-done"));
  } finally {
    removeProject(root);
  }
});
