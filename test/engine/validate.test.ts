/**
 * The stored files the CLI reads back (results, baselines, collected violations, the runtime's report) are
 * checked by valibot schemas (cli/engine/validate.ts); a bad one names the key and says what was expected and
 * found. End to end (exit 2, the file named): test/reliability/cli-bad-inputs.test.ts and cli-hostile.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkBaselineFile, checkCollected, checkRunResults, checkRuntimeReport, ShapeError } from "../../cli/engine/validate";

const machine = { node: "v20.20.2", cpu: "cpu", cores: 2, arch: "x64", os: "linux 6" };
const stats = { p50: 5, p75: 6, p99: 7, max: 9, mean: 6, min: 4, samples: 10, sampleSet: [4, 5, 6] };
const result = { file: "a.bench.ts", name: "n", id: "n", stats };
const results = { schemaVersion: 1, createdAt: "2026-01-01T00:00:00.000Z", machine, results: [result], violations: [], fileFailures: [] };
const violation = { contractId: "c1", kind: "latency", target: "A.b", file: "src/a.ts", line: 3, measured: 2, threshold: 1, unit: "ms", timestamp: 1 };
const run = { argv: ["node", "x.js"], exitCode: 0, signal: null, contracts: 1, violations: 1, durationMs: 5, reportWritten: true };
const collected = { schemaVersion: 1, run, contracts: [{ contractId: "c1", violations: 1 }], violations: [violation] };

function says(check: (value: unknown) => unknown, value: unknown): string {
  try {
    check(value);
  } catch (error) {
    assert.ok(error instanceof ShapeError, String(error));
    return error.message;
  }
  assert.fail("accepted");
}

describe("stored files are validated with valibot, the key named", () => {
  it("accepts the files as written, and returns them unchanged (unknown keys kept)", () => {
    const withExtra = { ...results, futureKey: { x: 1 } };
    assert.equal(checkRunResults(withExtra), withExtra);
    assert.equal(checkCollected(collected), collected);
    assert.equal(checkBaselineFile({ schemaVersion: 1, file: "a.bench.ts", createdAt: "x", machine, results: [result] }).file, "a.bench.ts");
    assert.equal(checkRuntimeReport({ schemaVersion: 1, contracts: [{ contractId: "c1" }], violations: [violation] }).violations.length, 1);
  });

  it("results: the key, what was expected, what was found", () => {
    const withResult = (r: object) => ({ ...results, results: [{ ...result, ...r }] });
    assert.equal(says(checkRunResults, { ...results, machine: { ...machine, cores: "2" } }), 'machine.cores: expected a number, found "2"');
    assert.equal(says(checkRunResults, withResult({ stats: { ...stats, samples: 1.5 } })), "results[0].stats.samples: expected a count, found 1.5");
    assert.equal(says(checkRunResults, withResult({ stats: { ...stats, sampleSet: [] } })), "results[0].stats.sampleSet: expected the kept samples, found an empty list");
    assert.equal(says(checkRunResults, withResult({ budget: { p99: { max: 1, unit: "fortnights" } } })), 'results[0].budget.p99.unit: expected one of ns, us, ms, s, found "fortnights"');
    assert.match(says(checkRunResults, withResult({ budget: { p98: { max: 1, unit: "ms" } } })), /^results\[0\]\.budget\.p98: unknown key; expected a budget metric/);
    assert.equal(says(checkRunResults, { ...results, fileFailures: [null] }), "fileFailures[0]: expected an object, found null");
    assert.equal(says(checkRunResults, { ...results, violations: [{ ...violation, unit: "fortnights" }] }), 'violations[0].unit: expected one of ns, us, ms, s, B, KB, MB, GB, found "fortnights"');
    assert.match(says(checkRunResults, { ...results, schemaVersion: 2 }), /^schemaVersion 2 was written by a newer @choragen\/perf/);
    const against = { ref: "main", commit: "0123456789abcdef0123456789abcdef01234567", worktree: ".choragen/worktrees/main", benches: [], removedFiles: [], wallMs: 1, processes: 1 };
    assert.doesNotThrow(() => checkRunResults({ ...results, against: { ...against, changedLockfiles: ["package-lock.json"] } }));
    assert.equal(says(checkRunResults, { ...results, against: { ...against, changedLockfiles: "package-lock.json" } }), 'against.changedLockfiles: expected an array, found "package-lock.json"');
  });

  it("baselines: times a comparison divides by must be above 0", () => {
    const baseline = (s: object) => ({ schemaVersion: 1, file: "a.bench.ts", createdAt: "x", machine, results: [{ ...result, stats: { ...stats, ...s } }] });
    assert.equal(says(checkBaselineFile, baseline({ min: 0 })), "results[0].stats.min: expected a time in ns above 0, found 0");
    assert.equal(says(checkBaselineFile, baseline({ sampleSet: [1, 2, "fast"] })), 'results[0].stats.sampleSet[2]: expected a number, found "fast"');
    // The same zero is a measurement in latest results (a bench can be that fast), not a baseline.
    assert.doesNotThrow(() => checkRunResults({ ...results, results: [{ ...result, stats: { ...stats, min: 0 } }] }));
  });

  it("collected violations and the runtime's report", () => {
    assert.equal(says(checkCollected, { ...collected, violations: [{ ...violation, line: "3" }] }), 'violations[0].line: expected a number, found "3"');
    assert.equal(says(checkCollected, { ...collected, run: { ...run, exitCode: null } }), "run: expected a number as exitCode, or null with the signal that ended the program");
    assert.doesNotThrow(() => checkCollected({ ...collected, run: { ...run, exitCode: null, signal: "SIGTERM" } }));
    assert.equal(says(checkRuntimeReport, { schemaVersion: 1, contracts: [], violations: {} }), "violations: expected an array, found an object");
  });
});
