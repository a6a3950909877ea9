import { test } from "node:test";
import * as assert from "node:assert/strict";
import { CONFIGS as CORPUS_CONFIGS, differential, harnessSources, mainSource, observable, tally, type Build, type BuildConfig, type UnhandledRejection } from "./differential";
import { caseName, caseSeed, generateCase, type FuzzCase } from "./fuzz-grammar";
import { currentRunSeed, runSeedOf } from "./fuzz-seed";

/**
 * The differential fuzzer: random method bodies (test/reliability/fuzz-grammar.ts) compiled in strip and
 * instrument mode must behave the same. A run is bounded by a case count and a time budget, whichever comes
 * first; its seed is printed, and CHORAGEN_FUZZ_SEED replays it. A case's own seed decides its source and its
 * build configuration (seed % configurations), so a failing case becomes a fixed test by adding its seed to
 * REGRESSION_SEEDS.
 *
 *   CHORAGEN_FUZZ_CASES    cases to run (default 200)
 *   CHORAGEN_FUZZ_SECONDS  time budget in seconds (default 20)
 *   CHORAGEN_FUZZ_SEED     the run's seed (default: fixed by the commit under test, so CI replays the cases `npm test`
 *                          ran at that commit; outside git, by GITHUB_RUN_ID or CI_PIPELINE_ID, else the UTC date)
 */

/**
 * Case seeds kept as fixed tests, checked against the code before issue 11's fixes:
 * - 3968901650 (CommonJS, standard decorators): timer statements as the unbraced body of if/else/for/while/do and
 *   of a label. Before commit 99cf77c strip mode crashed the compiler ("Debug Failure.", item 1).
 * - 480024859 (verbatimModuleSyntax): an async #private method handing over a promise, unbraced timers. Before
 *   commit 3c2bfb7 its strip output kept `import {} from "@choragen/perf"`, loading the whole runtime (item 5).
 * - 2702894136 (emitDecoratorMetadata): an async method handing over a promise it does not await (item 2's
 *   shape; its measurement is asserted in test/transformer/fidelity.test.ts), with unbraced timers.
 * - 1995919355 (CommonJS ES2017, experimentalDecorators; from the run seed of the UTC day 2026-12-01): an async arrow whose
 *   `return Promise.reject(...)` a throwing `finally` discards. The probe handed the promise to settle() at the
 *   `return`, which marked it handled: the plain code's unhandled rejection was gone. Fixed by settling in the
 *   probe's own `finally`, once the function has really returned the promise.
 */
const REGRESSION_SEEDS: readonly number[] = [3968901650, 2702894136, 480024859, 1995919355];

/**
 * The corpus's build configurations, and two more the fuzzer covers: emitDecoratorMetadata (signatures become
 * metadata, imports they name must follow the decorators) and verbatimModuleSyntax (imports kept as written).
 */
const CONFIGS: readonly BuildConfig[] = [
  ...CORPUS_CONFIGS,
  { name: "CommonJS ES2017 experimentalDecorators + emitDecoratorMetadata", flavour: "commonjs", target: "ES2017", experimentalDecorators: true, emitDecoratorMetadata: true },
  { name: "ESM ES2022 standard decorators + verbatimModuleSyntax", flavour: "module", target: "ES2022", experimentalDecorators: false, verbatimModuleSyntax: true },
];

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
  // Unhandled rejections carry the name of the case they happened in, so a difference names its case and seed.
  const unhandledIn = (build: Build, name: string): UnhandledRejection[] => build.observations.unhandled.filter((u) => u.during === name);
  for (const c of cases) {
    const name = caseName(c);
    const a = stripped.get(name);
    const b = instrumented.get(name);
    const js = instrument.outputs.get(`src/fuzz/case-${c.seed}.js`) ?? "";
    const strippedJs = strip.outputs.get(`src/fuzz/case-${c.seed}.js`) ?? "";
    try {
      assert.ok(a && b, "the case ran in both builds");
      assert.deepEqual(observable(b), observable(a));
      assert.deepEqual(unhandledIn(instrument, name), unhandledIn(strip, name), "unhandled rejections");
      assert.deepEqual(tally(b.violations), tally(b.expected), "no violations with these budgets");
      assert.doesNotMatch(js, /\.(?:latency|memory)\(/, "annotations left in the instrumented output");
      assert.match(js, /[._]contract\(\{/, "no inlined contract in the instrumented output");
      // Every use of perf in a case is one strip mode removes: nothing of the runtime may be left to load.
      assert.doesNotMatch(strippedJs, /@choragen\/perf|perf\./, "strip output still uses or loads the runtime");
    } catch (error) {
      failures.push({ seed: c.seed, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  const caseNames = new Set(cases.map(caseName));
  const outsideCases = (build: Build): UnhandledRejection[] => build.observations.unhandled.filter((u) => !caseNames.has(u.during));
  try {
    assert.deepEqual(outsideCases(instrument), outsideCases(strip), "unhandled rejections outside the cases");
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

test("fuzz: regression seeds behave the same instrumented", async () => {
  assert.ok(REGRESSION_SEEDS.length > 0, "regression seeds are kept");
  const failures = await runSeeds(REGRESSION_SEEDS);
  if (failures.length > 0) assert.fail(explain(failures, "Regression seeds failed."));
});

test("fuzz: random method bodies behave the same instrumented", async (t) => {
  const { seed: runSeed, from } = currentRunSeed();
  // Printed before the run, so a run that hangs or crashes still says what to replay.
  t.diagnostic(`fuzz seed ${runSeed} (from ${from}); replay with CHORAGEN_FUZZ_SEED=${runSeed}`);
  process.stdout.write(`# fuzz seed ${runSeed} (from ${from}); replay with CHORAGEN_FUZZ_SEED=${runSeed}\n`);
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

/** Whether a line directly inside the first-level body of a line matching `header` (by indentation) matches `inner`. */
function directlyInside(source: string, header: RegExp, inner: RegExp): boolean {
  const lines = source.split("\n");
  const indentOf = (line: string): number => line.length - line.trimStart().length;
  for (let i = 0; i < lines.length; i++) {
    if (!header.test(lines[i]!)) continue;
    const depth = indentOf(lines[i]!) + 2;
    for (let j = i + 1; j < lines.length && lines[j]!.trim() !== "" && indentOf(lines[j]!) >= depth; j++) {
      if (indentOf(lines[j]!) === depth && inner.test(lines[j]!.trimStart())) return true;
    }
  }
  return false;
}

test("fuzz grammar: timer statements reach every statement position, async bodies hand over promises, every build runs", () => {
  const seeds = Array.from({ length: 3000 }, (_, i) => caseSeed(4242, i));
  const sources = seeds.map((s) => fuzzCase(s).source);
  // Line-anchored patterns without nested quantifiers: a miss costs one pass over the text.
  const timer = String.raw`perf\.(?:startTimer|assertLatency)\(`;
  const positions: [string, (source: string) => boolean][] = [
    ["statement list", (src) => new RegExp(String.raw`^ +${timer}`, "m").test(src)],
    ["unbraced if", (src) => new RegExp(String.raw`^ +if \([^\n]*\) ${timer}`, "m").test(src)],
    ["unbraced else", (src) => new RegExp(String.raw`^ +else ${timer}`, "m").test(src)],
    ["unbraced for", (src) => new RegExp(String.raw`^ +for \([^\n]*\) ${timer}`, "m").test(src)],
    ["unbraced while", (src) => new RegExp(String.raw`^ +while \([^\n]*\) ${timer}`, "m").test(src)],
    ["unbraced do", (src) => new RegExp(String.raw`^ +do ${timer}`, "m").test(src)],
    ["label", (src) => new RegExp(String.raw`^ +T\d+: ${timer}`, "m").test(src)],
    ["timer variable", (src) => /const t\d+ = perf\.startTimer\(/.test(src)],
    ["in a finally block", (src) => directlyInside(src, /^ *\} finally \{$/, new RegExp(`^${timer}`))],
    ["in a catch block", (src) => directlyInside(src, /^ *\} catch \(e\d+\) \{$/, new RegExp(`^${timer}`))],
    ["in a switch case", (src) => directlyInside(src, /^ *case \d:$/, new RegExp(`^${timer}`))],
    ["in a loop body", (src) => directlyInside(src, /^ *(?:L\d+: )?(?:for|while) \([^\n]*\) \{$/, new RegExp(`^${timer}`))],
  ];
  for (const [label, found] of positions) assert.ok(sources.some(found), `no timer ${label} in 3000 cases`);
  const handedOver = seeds.map(fuzzCase).filter((c) => c.flavour === "async" && /return (?:Promise\.(?:resolve|reject)|tick\(\))/.test(c.source));
  assert.ok(handedOver.length > 0, "async bodies returning a promise they do not await");
  const configs = new Set(seeds.map((s) => configOf(s).name));
  for (const config of CONFIGS) assert.ok(configs.has(config.name), `${config.name} never chosen`);
  assert.ok(CONFIGS.some((c) => c.emitDecoratorMetadata) && CONFIGS.some((c) => c.verbatimModuleSyntax));
});

test("fuzz: the run's seed is fixed by the commit, else the CI run or the day, unless CHORAGEN_FUZZ_SEED says", () => {
  const day = new Date("2026-11-29T10:00:00Z");
  const commit = "229ac4f0000000000000000000000000000000aa";
  assert.equal(runSeedOf({}, day, commit).seed, runSeedOf({ GITHUB_RUN_ID: "123" }, new Date("2027-01-01"), commit).seed, "the commit decides, whatever the day or run");
  assert.notEqual(runSeedOf({}, day, commit).seed, runSeedOf({}, day, commit.replace(/aa$/, "ab")).seed);
  assert.equal(runSeedOf({}, day, undefined).seed, runSeedOf({}, new Date("2026-11-29T23:59:00Z"), undefined).seed);
  assert.notEqual(runSeedOf({}, day, undefined).seed, runSeedOf({}, new Date("2026-11-30T00:00:00Z"), undefined).seed);
  assert.equal(runSeedOf({ GITHUB_RUN_ID: "123" }, day, undefined).seed, runSeedOf({ GITHUB_RUN_ID: "123" }, new Date("2027-01-01"), undefined).seed);
  assert.deepEqual(runSeedOf({ CHORAGEN_FUZZ_SEED: "77" }, day, commit), { seed: 77, from: "CHORAGEN_FUZZ_SEED" });
});
