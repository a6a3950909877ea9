import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, DEFAULTS, defaultConfig, parseConfig, parseConfigWithSources, type PerfConfig } from "../../config";

const VALID = path.resolve(__dirname, "../../../test/fixtures/config/valid");
const read = (name: string): string => fs.readFileSync(path.join(VALID, name), "utf8");

/** The documented defaults, written out by hand (docs/configuration.md): a change to one is a visible decision. */
const EXPECTED_DEFAULTS: PerfConfig = {
  contracts: {
    latency: { default: { max: 200, unit: "ms" }, overrides: {} },
    memory: { default: { max: 50, unit: "MB" }, overrides: {} },
    onViolation: "record",
  },
  benchmarks: {
    enabled: true,
    include: ["benchmarks/**/*.bench.ts"],
    exclude: ["**/node_modules/**"],
    regressionThreshold: 10,
    baselineBranch: "main",
    timeoutMs: 60000,
    budgets: {},
  },
  thresholds: { minScore: 80, maxViolations: 0 },
};

function problemsOf(text: string): ConfigError {
  try {
    parseConfig(text, "inline.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail("accepted");
}

for (const name of ["empty.yaml", "comments-only.yaml", "empty-sections.yaml"]) {
  test(`${name} gives exactly the defaults, every value marked as default`, () => {
    const { config, sources } = parseConfigWithSources(read(name), name);
    assert.deepEqual(config, EXPECTED_DEFAULTS);
    assert.ok(sources.size > 10);
    for (const [key, origin] of sources) assert.equal(origin, "default", key);
  });
}

test("defaultConfig() and DEFAULTS agree with the documented defaults", () => {
  assert.deepEqual(defaultConfig().config, EXPECTED_DEFAULTS);
  assert.equal(DEFAULTS.latency.max, 200);
  assert.equal(DEFAULTS.memory.unit, "MB");
});

test("a partial file is filled with defaults and sources say which is which", () => {
  const { config, sources } = parseConfigWithSources(read("partial.yaml"), "partial.yaml");
  assert.equal(config.contracts.onViolation, "throw");
  assert.deepEqual(config.contracts.latency.default, { max: 200, unit: "ms" });
  assert.deepEqual(config.benchmarks.include, ["benchmarks/**/*.bench.ts"]);
  assert.equal(sources.get("contracts.onViolation"), "file");
  assert.equal(sources.get("contracts.latency.default"), "default");
  assert.equal(sources.get("benchmarks.include"), "default");
  assert.equal(sources.get("thresholds.minScore"), "default");
});

test("every key set in the file is read as written", () => {
  const { config, sources } = parseConfigWithSources(read("full.yaml"), "full.yaml");
  assert.deepEqual(config, {
    contracts: {
      latency: {
        default: { max: 150, unit: "us", percentile: 90 },
        overrides: { "api/*": { max: 100, unit: "ms", percentile: 95 }, "OrderService.*": { max: 2, unit: "s" } },
      },
      memory: { default: { max: 512, unit: "KB" }, overrides: { "reports/**": { max: 1, unit: "GB" } } },
      onViolation: "warn",
    },
    benchmarks: {
      enabled: false,
      include: ["bench/**/*.bench.ts", "perf/*.bench.ts"],
      exclude: ["bench/slow/**"],
      regressionThreshold: 5.5,
      baselineBranch: "release/2.x",
      timeoutMs: 120000,
      budgets: {
        "parse 1 KB": { p99: { max: 2, unit: "ms" }, heap: { max: 1, unit: "MB" } },
        "group/name": { p50: { max: 3, unit: "ns" }, p75: { max: 4, unit: "us" }, mean: { max: 5, unit: "ms" } },
      },
    },
    thresholds: { minScore: 92.5, maxViolations: 3 },
  });
  for (const [key, origin] of sources) assert.equal(origin, "file", key);
  assert.equal(sources.get('contracts.latency.overrides."api/*"'), "file");
  assert.equal(sources.get('benchmarks.budgets."parse 1 KB".p99'), "file");
});

test("aliases are expanded into independent copies", () => {
  const config = parseConfig(read("aliases.yaml"), "aliases.yaml");
  assert.deepEqual(config.contracts.latency.overrides["api/**"], { max: 100, unit: "ms" });
  assert.deepEqual(config.contracts.latency.overrides["jobs/**"], { max: 100, unit: "ms" });
  assert.deepEqual(config.benchmarks.budgets["b"], { p99: { max: 1, unit: "ms" } });
});

test("the result is deeply frozen", () => {
  const config = parseConfig(read("full.yaml"), "full.yaml");
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.contracts.latency.overrides["api/*"]));
  assert.ok(Object.isFrozen(config.benchmarks.include));
  assert.throws(() => {
    (config.thresholds as { minScore: number }).minScore = 0;
  }, TypeError);
});

test("a __proto__ key is an unknown key, not a prototype change", () => {
  const error = problemsOf("thresholds:\n  __proto__: { polluted: true }\n");
  assert.equal(error.problems.length, 1);
  assert.equal(error.problems[0]?.path, "thresholds.__proto__");
  assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
});

test("YAML 1.1 extras are not honoured: tags like !!binary and !!set are errors, yes is a string", () => {
  const binary = problemsOf("benchmarks:\n  baselineBranch: !!binary aGVsbG8=\n");
  assert.equal(binary.problems[0]?.found, "the tag !!binary");
  assert.equal(problemsOf("contracts:\n  onViolation: !!set { warn }\n").problems[0]?.found, "the tag !!set");
  assert.equal(problemsOf("benchmarks:\n  enabled: yes\n").problems[0]?.found, '"yes"');
});

test("numbers may be written in any YAML 1.2 form", () => {
  const config = parseConfig("contracts:\n  latency:\n    default: { max: 1e3, unit: us }\n  memory:\n    default: { max: 0x10, unit: KB }\n", "x");
  assert.equal(config.contracts.latency.default.max, 1000);
  assert.equal(config.contracts.memory.default.max, 16);
});

test("problems are sorted by position and all reported at once", () => {
  const error = problemsOf("thresholds:\n  minScore: -1\n  maxViolations: x\ncontracts:\n  onViolation: loud\n");
  assert.deepEqual(
    error.problems.map((p) => [p.line, p.path]),
    [
      [2, "thresholds.minScore"],
      [3, "thresholds.maxViolations"],
      [5, "contracts.onViolation"],
    ],
  );
});

test("an oversized file is refused before parsing", () => {
  const error = problemsOf(`# ${"x".repeat(1024 * 1024)}\n`);
  assert.match(error.problems[0]?.message ?? "", /too large/);
});

test("problems inside an aliased value are reported at the alias, under the path that uses it", () => {
  const error = problemsOf(
    'contracts:\n  latency:\n    default: &d { max: 0, unit: ms, bogus: 1 }\n    overrides:\n      "api/**": *d\n',
  );
  assert.deepEqual(
    error.problems.map((p) => `${p.line}:${p.column} ${p.path}`),
    [
      "3:24 contracts.latency.default.max",
      "3:37 contracts.latency.default.bogus",
      '5:17 contracts.latency.overrides."api/**".bogus',
      '5:17 contracts.latency.overrides."api/**".max',
    ],
  );
});

test("a stray --- at the end opens no second document; a second document with content is an error", () => {
  assert.equal(parseConfig("thresholds:\n  minScore: 90\n---\n", "x").thresholds.minScore, 90);
  const error = problemsOf("thresholds:\n  minScore: 90\n---\ncontracts:\n  onViolation: warn\n---\n");
  assert.equal(error.problems.length, 1);
  assert.equal(`${error.problems[0]?.line}:${error.problems[0]?.column}`, "3:1");
  assert.equal(error.problems[0]?.found, "2 documents");
});
