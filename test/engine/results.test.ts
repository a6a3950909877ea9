import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readLatestResults, writeLatestResults } from "../../cli/engine/results";
import { latestResultsPath } from "../../cli/engine/paths";
import { EngineError, type RunResults } from "../../cli/engine/types";

const sample: RunResults = {
  schemaVersion: 1,
  createdAt: "2024-01-01T00:00:00.000Z",
  machine: { node: "v20", cpu: "c", cores: 1, arch: "x64", os: "linux" },
  quick: true,
  results: [],
  fileFailures: [],
  violations: [],
};

test("latest results: round-trip, then missing, corrupt and foreign-schema files give clear errors", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "choragen-results-"));
  try {
    assert.throws(() => readLatestResults(root), (e: unknown) => e instanceof EngineError && /no benchmark results at \.choragen\/results\/latest\.json: run `choragen perf:bench` first/.test(e.message));
    writeLatestResults(root, sample);
    assert.deepEqual(readLatestResults(root), sample);
    fs.writeFileSync(latestResultsPath(root), "{");
    assert.throws(() => readLatestResults(root), (e: unknown) => e instanceof EngineError && /latest\.json is not valid JSON/.test(e.message));
    fs.writeFileSync(latestResultsPath(root), JSON.stringify({ ...sample, schemaVersion: 0 }));
    assert.throws(() => readLatestResults(root), (e: unknown) => e instanceof EngineError && /schemaVersion: expected 1, found number 0/.test(e.message));
    fs.writeFileSync(latestResultsPath(root), JSON.stringify({ ...sample, machine: { ...sample.machine, cores: "two" } }));
    assert.throws(() => readLatestResults(root), (e: unknown) => e instanceof EngineError && /machine\.cores: expected a number/.test(e.message));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
