/** The demo's own verdict on a choragen run: pass only when the deliberate breach, and nothing broken, was reported. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { EXAMPLES, REPO } from "./support";

interface Verdict {
  readonly exitCode: number;
  readonly lines: readonly string[];
}
interface DemoVerdictModule {
  demoVerdict(exitCode: number | null, report: unknown, configured?: boolean): Verdict;
  deliberateBreachConfigured(configText: string): boolean;
  formatMeasured(value: number, unit: string): string;
}

const load = async (): Promise<DemoVerdictModule> =>
  (await import(pathToFileURL(path.join(EXAMPLES, "demo-verdict.mjs")).href)) as DemoVerdictModule;

const breach = { target: "CatalogImporter.importFile", kind: "latency", file: "examples/src/catalog/importer.ts", line: 19, measured: 14617, threshold: 100, unit: "us" };
const bench = { id: "pricing: quote 10 items", result: { stats: { p50: 1 } } };
const report = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  violations: [breach],
  failures: ["1 contract violation, more than thresholds.maxViolations (0)"],
  fileFailures: [],
  benches: [bench],
  run: { exitCode: 0, signal: null },
  ...extra,
});

test("exit 1 with the deliberate breach alone: the demo passes and names it", async () => {
  const { demoVerdict } = await load();
  const v = demoVerdict(1, report());
  assert.equal(v.exitCode, 0);
  assert.match(v.lines.join("\n"), /CatalogImporter\.importFile {2}latency 14\.6 ms > 100 µs {2}examples\/src\/catalog\/importer\.ts:19/);
  assert.doesNotMatch(v.lines.join("\n"), /Also failing/);
});

test("other judged failures are listed, and the demo still passes", async () => {
  const { demoVerdict } = await load();
  const v = demoVerdict(1, report({ failures: ["catalog: parse 100 products: p99 6.84 ms is over its budget of 5 ms", "2 contract violations, more than thresholds.maxViolations (0)"] }));
  assert.equal(v.exitCode, 0);
  assert.match(v.lines.join("\n"), /Also failing on this run[\s\S]*p99 6\.84 ms[\s\S]*2 contract violations/);
});

test("a run that missed the breach, passed, broke or could not start fails the demo", async () => {
  const { demoVerdict } = await load();
  assert.equal(demoVerdict(1, report({ violations: [] })).exitCode, 1);
  assert.equal(demoVerdict(0, report()).exitCode, 1);
  assert.equal(demoVerdict(1, report({ fileFailures: [{ file: "examples/benchmarks/cache.bench.ts", kind: "compile" }] })).exitCode, 1);
  assert.equal(demoVerdict(1, report({ benches: [{ id: "x", result: { error: "boom" } }] })).exitCode, 1);
  assert.equal(demoVerdict(1, report({ run: { exitCode: 3, signal: null } })).exitCode, 1);
  assert.equal(demoVerdict(2, undefined).exitCode, 2);
  assert.equal(demoVerdict(1, undefined).exitCode, 2);
});

test("measurements are shown in the largest unit that keeps them at 1 or more", async () => {
  const { formatMeasured } = await load();
  assert.deepEqual(
    [formatMeasured(14617, "us"), formatMeasured(100, "us"), formatMeasured(0.5, "ms"), formatMeasured(2048, "KB"), formatMeasured(3, "B")],
    ["14.6 ms", "100 µs", "500 µs", "2 MB", "3 B"],
  );
});

test("with the deliberate line removed from the config, the demo is strict: choragen's verdict is its own", async () => {
  const { demoVerdict, deliberateBreachConfigured } = await load();
  assert.equal(demoVerdict(0, report({ violations: [], failures: [] }), false).exitCode, 0);
  assert.equal(demoVerdict(1, report({ violations: [] }), false).exitCode, 1);
  const yaml = fs.readFileSync(path.join(REPO, ".choragen", "performance.yaml"), "utf8");
  assert.equal(deliberateBreachConfigured(yaml), true, "the repository's config holds the deliberate breach");
  const removed = yaml.split("\n").map((l) => (l.includes('"CatalogImporter.importFile":') ? `# ${l}` : l)).join("\n");
  assert.equal(deliberateBreachConfigured(removed), false);
});
