import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { PerformanceReport } from "../../runtime/index";
import { readParts } from "../../runtime/parts";
import { fixtures, runNode } from "./helpers";

const writer = join(fixtures, "report-writer.cjs");
const scratch = mkdtempSync(join(tmpdir(), "choragen-perf-report-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function read(file: string): PerformanceReport {
  return JSON.parse(readFileSync(file, "utf8")) as PerformanceReport;
}

describe("CHORAGEN_PERF_REPORT", () => {
  it("writes the report when the process exits, creating the folder", async () => {
    const file = join(scratch, "single/nested/report.json");
    const result = await runNode([writer, "a", "2"], { env: { CHORAGEN_PERF_REPORT: file } });
    assert.equal(result.code, 0, result.stderr);
    const report = read(file);
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(report.pids, [report.pid]);
    assert.deepEqual(report.violations.map((v) => [v.contractId, v.measured]), [["shared01", 11], ["shared01", 12]]);
    const ids = report.contracts.map((c) => c.contractId);
    assert.ok(ids.includes("shared01") && ids.includes("own-a"));
    const quick = report.contracts.find((c) => c.target === "quick");
    assert.equal(quick?.calls, 2);
    assert.deepEqual(readdirSync(join(scratch, "single/nested")), ["report.json", "report.json.parts"], "no temp or lock file left behind");
    assert.deepEqual(readdirSync(join(scratch, "single/nested/report.json.parts")).filter((f) => !/^\d+-0-1-\w+\.(jsonl|snapshot\.json)$/.test(f)), [], "a journal and a snapshot, nothing else");
  });

  it("writes it on process.exit() with a failing code too", async () => {
    const file = join(scratch, "exit-code.json");
    const result = await runNode([writer, "x", "1", "3"], { env: { CHORAGEN_PERF_REPORT: file } });
    assert.equal(result.code, 3);
    assert.equal(read(file).violations.length, 1);
  });

  it("does nothing without the variable", async () => {
    const result = await runNode([writer, "n", "1"], { cwd: scratch });
    assert.equal(result.code, 0);
    assert.deepEqual(readdirSync(scratch).filter((f) => f.endsWith(".json") && f.startsWith("report")), []);
  });

  it("merges the reports of two processes into one file", async () => {
    const file = join(scratch, "two.json");
    const first = await runNode([writer, "a", "1"], { env: { CHORAGEN_PERF_REPORT: file } });
    const second = await runNode([writer, "b", "2"], { env: { CHORAGEN_PERF_REPORT: file } });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    const report = read(file);
    assert.equal(report.pids?.length, 2);
    assert.equal(report.violations.length, 3);
    assert.deepEqual(new Set(report.violations.map((v) => v.context.pid)).size, 2);
    const shared = report.contracts.filter((c) => c.contractId === "shared01");
    assert.equal(shared.length, 1, "one summary per contract across processes");
    assert.equal(shared[0]?.violations, 3);
    assert.equal(shared[0]?.worst, 12);
    assert.equal(report.contracts.find((c) => c.target === "quick")?.calls, 4);
    assert.ok(report.contracts.some((c) => c.contractId === "own-a") && report.contracts.some((c) => c.contractId === "own-b"));
  });

  it("loses nothing when many processes exit at the same time", async () => {
    const file = join(scratch, "race.json");
    const workers = 8;
    const results = await Promise.all(
      Array.from({ length: workers }, (_, i) => runNode([writer, `r${i}`, String(i + 1)], { env: { CHORAGEN_PERF_REPORT: file } })),
    );
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const report = read(file);
    assert.equal(report.pids?.length, workers);
    assert.equal(report.violations.length, (workers * (workers + 1)) / 2);
    assert.equal(report.contracts.find((c) => c.contractId === "shared01")?.violations, (workers * (workers + 1)) / 2);
    assert.equal(existsSync(`${file}.lock`), false);
  });

  it("leaves a file that is not a report as it was, and says where the run's report is", async () => {
    const file = join(scratch, "garbage.json");
    writeFileSync(file, "not json at all");
    const result = await runNode([writer, "g", "1"], { env: { CHORAGEN_PERF_REPORT: file } });
    const said = result.stderr.trim().split("\n");
    assert.equal(said.length, 1, "said once, when the run began");
    assert.match(said[0] ?? "", /CHORAGEN_PERF_REPORT names .*garbage\.json, which exists and is not a performance report: it will not be overwritten \(this run's report goes to .*garbage\.json\.parts\)/);
    assert.equal(readFileSync(file, "utf8"), "not json at all");
    assert.equal(readParts(`${file}.parts`).report?.violations.length, 1);
  });

  it("breaks a lock left behind by a dead process", async () => {
    const file = join(scratch, "stale.json");
    writeFileSync(`${file}.lock`, "999999999");
    const result = await runNode([writer, "s", "1"], { env: { CHORAGEN_PERF_REPORT: file } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(read(file).violations.length, 1);
    assert.equal(existsSync(`${file}.lock`), false);
  });
});
