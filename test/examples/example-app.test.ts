/**
 * The example application builds with the transformer, runs, and records what its contracts and the
 * repository's config say it must: the deliberate breach, with the budgets the config gives the
 * annotations written without options. Production builds carry no trace of the contracts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { contractBudget, loadConfig } from "../../config";
import type { PerformanceReport } from "../../runtime";
import { ensureSelfLink, EXAMPLES, REPO, run, TSPC } from "./support";

const DIST = path.join(EXAMPLES, "dist");

function lineOf(file: string, text: string): number {
  const lines = fs.readFileSync(path.join(REPO, file), "utf8").split("\n");
  const index = lines.findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `${file} contains ${text}`);
  return index + 1;
}

function compile(outDir: string, env: Record<string, string | undefined>): void {
  ensureSelfLink();
  const result = run([TSPC, "-p", path.join("examples", "tsconfig.json"), "--outDir", outDir], env);
  assert.equal(result.status, 0, result.transcript);
}

test("examples compile with tspc, and main.js records the deliberate breach with the configured budgets", () => {
  compile(DIST, { CHORAGEN_PERF_MODE: "instrument" });
  const reportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-example-")), "report.json");
  try {
    const result = run(["--enable-source-maps", path.join(DIST, "main.js")], { CHORAGEN_PERF_REPORT: reportFile, CHORAGEN_PERF_ON_VIOLATION: "record" });
    assert.equal(result.status, 0, result.transcript);
    assert.match(result.stdout, /^imported 2000 products from nordlys-trading\.json \(2000 new, 0 updated\)$/m);
    assert.match(result.stdout, /^placed \d+ orders \(\d+ refused: out of stock\); quote cache: \d+ hits, 40 misses$/m);
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as PerformanceReport;

    // The deliberate breach: its 100 µs budget comes from the config, the import takes milliseconds.
    const importer = "examples/src/catalog/importer.ts";
    const breach = report.violations.filter((v) => v.target === "CatalogImporter.importFile" && v.kind === "latency");
    assert.equal(breach.length, 1, JSON.stringify(report.violations, null, 2));
    const v = breach[0]!;
    assert.deepEqual([v.file, v.line, v.threshold, v.unit], [importer, lineOf(importer, "@perf.latency()"), 100, "us"]);
    assert.ok(v.measured > v.threshold);

    const { config } = loadConfig({ cwd: REPO });
    const fromConfig = (kind: "latency" | "memory", file: string, target: string): { max: number; unit: string; percentile?: number } => {
      const resolved = contractBudget(config, kind, file, target);
      assert.notEqual(resolved.source, "default", `${target}: an override in .choragen/performance.yaml applies`);
      return resolved.budget;
    };
    const expected: readonly [string, "latency" | "memory", string, { max: number; unit: string; percentile?: number }][] = [
      ["PricingService.quote", "latency", "examples/src/pricing/pricing-service.ts", fromConfig("latency", "examples/src/pricing/pricing-service.ts", "PricingService.quote")],
      ["OrdersApi.postOrder", "latency", "examples/src/api/orders-api.ts", fromConfig("latency", "examples/src/api/orders-api.ts", "OrdersApi.postOrder")],
      ["OrdersApi.postQuote", "latency", "examples/src/api/orders-api.ts", fromConfig("latency", "examples/src/api/orders-api.ts", "OrdersApi.postQuote")],
      ["CatalogImporter.importFile", "latency", importer, fromConfig("latency", importer, "CatalogImporter.importFile")],
      ["CatalogImporter.importFile", "memory", importer, contractBudget(config, "memory", importer, "CatalogImporter.importFile").budget],
      ["ReportService.dailyReport", "memory", "examples/src/orders/report-service.ts", fromConfig("memory", "examples/src/orders/report-service.ts", "ReportService.dailyReport")],
      ["OrderService.quote", "latency", "examples/src/orders/order-service.ts", { max: 5, unit: "ms", percentile: 95 }],
      ["parseCatalog", "latency", "examples/src/catalog/parse-catalog.ts", { max: 250, unit: "ms" }],
      ["OrderService.placeOrder", "latency", "examples/src/orders/order-service.ts", { max: 250, unit: "ms" }],
      ["payment authorisation", "latency", "examples/src/orders/order-service.ts", { max: 200, unit: "ms" }],
    ];
    for (const [target, kind, file, budget] of expected) {
      const c = report.contracts.find((x) => x.target === target && x.kind === kind);
      assert.ok(c !== undefined, `contract ${kind} ${target} armed; armed: ${report.contracts.map((x) => `${x.kind} ${x.target}`).join(", ")}`);
      assert.deepEqual(
        { file: c.file, max: c.threshold, unit: c.unit, percentile: c.percentile },
        { file, max: budget.max, unit: budget.unit, percentile: budget.percentile },
        `${kind} ${target}`,
      );
    }
    assert.equal(report.contracts.length, expected.length, report.contracts.map((x) => `${x.kind} ${x.target}`).join(", "));
    // Percentile contracts count their calls: 400 orders and 400 quotes through the API, each quoted once.
    assert.equal(report.contracts.find((x) => x.target === "OrderService.quote")?.calls, 800 - Number(/(\d+) refused/.exec(result.stdout)?.[1]));
  } finally {
    fs.rmSync(path.dirname(reportFile), { recursive: true, force: true });
  }
});

test("a production build of the examples has no trace of the contracts outside main.js", () => {
  const out = path.join(DIST, "production");
  fs.rmSync(out, { recursive: true, force: true });
  compile(out, { NODE_ENV: "production", CHORAGEN_PERF_MODE: undefined });
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith(".js")) files.push(path.join(dir, e.name));
    }
  };
  walk(out);
  assert.ok(files.length >= 10, files.join("\n"));
  const traced = files.filter((f) => /@choragen\/perf|__perf/.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(out, f));
  // main.js calls perf.report() itself: that is a use of the runtime, not an annotation.
  assert.deepEqual(traced, ["main.js"]);
  assert.doesNotMatch(fs.readFileSync(path.join(out, "main.js"), "utf8"), /__perf|probe/);
});
