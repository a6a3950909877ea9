/** The repository's own .choragen/performance.yaml, which the demo over examples/ runs with. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { contractBudget, findConfigFile, loadConfig } from "../../config";

const REPO = path.resolve(__dirname, "../../..");
const FILE = path.join(REPO, ".choragen", "performance.yaml");

test("the project config is valid and is the one found from inside the repository", () => {
  assert.equal(findConfigFile(path.join(REPO, "examples")), FILE);
  const loaded = loadConfig({ cwd: path.join(REPO, "examples") });
  assert.equal(loaded.file, FILE);
  assert.equal(loaded.root, REPO);
});

test("it uses the SPEC's keys and budgets the pricing benches", () => {
  const { config, sources } = loadConfig({ cwd: REPO });
  const budget = config.benchmarks.budgets["pricing: quote 100 items"];
  assert.ok(budget?.p99, "budget for 'pricing: quote 100 items'");
  for (const key of ["contracts.latency.default", "contracts.memory.default", "contracts.onViolation", "benchmarks.enabled", "benchmarks.include", "benchmarks.regressionThreshold", "benchmarks.baselineBranch", "thresholds.minScore", "thresholds.maxViolations"]) {
    assert.equal(sources.get(key), "file", key);
  }
  assert.equal(contractBudget(config, "latency", "examples/src/pricing.ts", "PricingService.quote").source, "PricingService.quote");
});

test("its yaml-language-server line points at the committed JSON Schema", () => {
  const first = fs.readFileSync(FILE, "utf8").split("\n")[0] ?? "";
  const match = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
  assert.ok(match?.[1], first);
  assert.ok(fs.existsSync(path.resolve(path.dirname(FILE), match[1])));
});
