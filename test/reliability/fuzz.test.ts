import { test } from "node:test";
import * as assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { CONFIGS, differential, harnessSources, mainSource, observable, tally, type Build, type BuildConfig } from "./differential";
import { caseSeed, generateCase, type FuzzCase } from "./fuzz-grammar";

/**
 * The differential fuzzer: random method bodies (test/reliability/fuzz-grammar.ts) compiled in strip and
 * instrument mode must behave the same. A run is bounded by a case count and a time budget, whichever comes
 * first; its seed is printed, and CHORAGEN_FUZZ_SEED replays it. A case's own seed decides its source and its
 * build configuration (seed % configurations), so a failing case becomes a fixed test by adding its seed to
 * REGRESSION_SEEDS.
 *
 *   CHORAGEN_FUZZ_CASES    cases to run (default 200)
 *   CHORAGEN_FUZZ_SECONDS  time budget in seconds (default 20)
 *   CHORAGEN_FUZZ_SEED     the run's seed (default: random)
 */
const REGRESSION_SEEDS: readonly number[] = [];

const BATCH = 100;

function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, found ${JSON.stringify(text)}`);
  return value;
}

function configOf(seed: number): BuildConfig {
  return CONFIGS[seed % CONFIGS.length]!;
}

/** A case seed moved to the residue of a configuration, so the batch it runs in is derivable from it. */
function seedFor(runSeed: number, index: number, config: number): number {
  const raw = caseSeed(runSeed, index);
  const seed = raw - (raw % CONFIGS.length) + config;
  return seed <= 0xffffffff ? seed : seed - CONFIGS.length;
}

function fuzzCase(seed: number): FuzzCase {
  return generateCase(seed, !configOf(seed).experimentalDecorators);
}

interface Failure {
  readonly seed: number;
  readonly problem: string;
}

/** Runs cases of one configuration as one program; returns what differed, case by case. */
async function runBatch(config: BuildConfig, cases: readonly FuzzCase[]): Promise<Failure[]> {
  const sources = harnessSources();
  const modules = cases.map((c) => `fuzz/case-${c.seed}`);
  for (const [i, c] of cases.entries()) sources.set(`${modules[i]}.ts`, c.source);
  sources.set("main.ts", mainSource(modules));
  // Generated code is well-typed by construction (checked by the grammar test below): skip the costly type check.
  const { strip, instrument } = await differential(config, sources, false);
  const failures: Failure[] = [];
  const byName = (build: Build): Map<string, (typeof build.observations.shapes)[number]> => new Map(build.observations.shapes.map((s) => [s.name, s]));
  const stripped = byName(strip);
  const instrumented = byName(instrument);
  for (const c of cases) {
    const name = `fuzz case ${c.seed}`;
    const a = stripped.get(name);
    const b = instrumented.get(name);
    const js = instrument.outputs.get(`src/fuzz/case-${c.seed}.js`) ?? "";
    try {
      assert.ok(a && b, "the case ran in both builds");
      assert.deepEqual(observable(b), observable(a));
      assert.deepEqual(tally(b.violations), tally(b.expected), "no violations with these budgets");
      assert.doesNotMatch(js, /\.(?:latency|memory)\(/, "annotations left in the instrumented output");
      assert.match(js, /\.contract\(\{/, "no inlined contract in the instrumented output");
    } catch (error) {
      failures.push({ seed: c.seed, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  try {
    assert.deepEqual(instrument.observations.unhandled, strip.observations.unhandled, "unhandled rejections");
    assert.deepEqual(instrument.observations.load, strip.observations.load, "module loading");
  } catch (error) {
    failures.push({ seed: -1, problem: `${config.name}: ${error instanceof Error ? error.message : String(error)}` });
  }
  return failures;
}

function explain(failures: readonly Failure[], header: string): string {
  const first = failures[0]!;
  const seeds = failures.map((f) => f.seed).filter((s) => s >= 0);
  const lines = [
    header,
    `${failures.length} case(s) behave differently when instrumented; case seeds: ${seeds.join(", ")}`,
    `Add a case seed to REGRESSION_SEEDS in test/reliability/fuzz.test.ts to keep it as a fixed test.`,
    ``,
    `First: case ${first.seed}${first.seed >= 0 ? ` (${configOf(first.seed).name}, ${fuzzCase(first.seed).host}, ${fuzzCase(first.seed).flavour})` : ""}`,
    first.problem,
  ];
  if (first.seed >= 0) lines.push(``, `Source of case ${first.seed}:`, fuzzCase(first.seed).source);
  return lines.join("\n");
}

/** Runs seeds grouped by their configuration. */
async function runSeeds(seeds: readonly number[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  for (const [index, config] of CONFIGS.entries()) {
    const mine = seeds.filter((s) => s % CONFIGS.length === index);
    if (mine.length > 0) failures.push(...(await runBatch(config, mine.map(fuzzCase))));
  }
  return failures;
}

test("fuzz: regression seeds behave the same instrumented", { skip: REGRESSION_SEEDS.length === 0 ? "no regression seeds yet" : false }, async () => {
  const failures = await runSeeds(REGRESSION_SEEDS);
  if (failures.length > 0) assert.fail(explain(failures, "Regression seeds failed."));
});

test("fuzz: random method bodies behave the same instrumented", async (t) => {
  const runSeed = envNumber("CHORAGEN_FUZZ_SEED", randomInt(2 ** 32 - 1));
  const total = envNumber("CHORAGEN_FUZZ_CASES", 200);
  const budgetMs = envNumber("CHORAGEN_FUZZ_SECONDS", 20) * 1000;
  const started = Date.now();
  const failures: Failure[] = [];
  let ran = 0;
  for (let batch = 0; ran < total && (batch === 0 || Date.now() - started < budgetMs); batch++) {
    const configIndex = (runSeed + batch) % CONFIGS.length;
    const count = Math.min(BATCH, total - ran);
    const cases = Array.from({ length: count }, (_, i) => fuzzCase(seedFor(runSeed, ran + i, configIndex)));
    failures.push(...(await runBatch(CONFIGS[configIndex]!, cases)));
    ran += count;
  }
  t.diagnostic(`fuzz seed ${runSeed}: ${ran} cases in ${((Date.now() - started) / 1000).toFixed(1)} s (replay with CHORAGEN_FUZZ_SEED=${runSeed})`);
  if (failures.length > 0) assert.fail(explain(failures, `Fuzz run with CHORAGEN_FUZZ_SEED=${runSeed} failed.`));
});

test("fuzz grammar: a case is a function of its seed, and seeds reach every host and flavour", () => {
  const seeds = Array.from({ length: 120 }, (_, i) => caseSeed(12345, i));
  for (const seed of seeds.slice(0, 5)) assert.equal(generateCase(seed, true).source, generateCase(seed, true).source);
  const seen = new Set(seeds.map((s) => `${generateCase(s, true).host}/${generateCase(s, true).flavour}`));
  for (const host of ["method", "static", "private", "function", "arrow"]) {
    for (const flavour of ["sync", "async", "promise"]) assert.ok(seen.has(`${host}/${flavour}`), `${host}/${flavour} never generated`);
  }
  assert.ok(![...seeds].some((s) => generateCase(s, false).host === "private"), "no #private host where experimentalDecorators forbid it");
});

test("fuzz grammar: generated cases type-check under strict, in both decorator dialects", async () => {
  // The fuzzer skips the type check for speed; this keeps the grammar honest. Seeds picked per configuration.
  for (const config of [CONFIGS.findIndex((c) => !c.experimentalDecorators), CONFIGS.findIndex((c) => c.experimentalDecorators)]) {
    const seeds = Array.from({ length: 10 }, (_, i) => seedFor(777, i, config));
    const sources = harnessSources();
    const modules = seeds.map((s) => `fuzz/case-${s}`);
    for (const [i, s] of seeds.entries()) sources.set(`${modules[i]}.ts`, fuzzCase(s).source);
    sources.set("main.ts", mainSource(modules));
    const { strip, instrument } = await differential(CONFIGS[config]!, sources, true);
    assert.deepEqual(instrument.observations.shapes.map(observable), strip.observations.shapes.map(observable));
  }
});
