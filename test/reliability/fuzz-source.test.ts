import { test } from "node:test";
import * as assert from "node:assert/strict";
import { CONFIGS, differential, harnessSources, mainSource, observable, tally } from "./differential";
import { caseName, caseSeed, generateCase } from "./fuzz-grammar";
import { currentRunSeed } from "./fuzz-seed";
import { sourceDualCompile } from "./source-compile";

/**
 * The differential fuzzer's random method bodies (test/reliability/fuzz-grammar.ts) through the source-level
 * core (the bundler hosts' transform): stripped and instrumented builds must behave the same. One batch per
 * decorator dialect; the run's seed is fuzz.test.ts's (fixed by the commit; CHORAGEN_FUZZ_SEED replays a run),
 * CHORAGEN_FUZZ_SOURCE_CASES sets the batch size (default 60).
 */
const cases = Number(process.env["CHORAGEN_FUZZ_SOURCE_CASES"] ?? 60);

for (const [dialect, config] of [CONFIGS.find((c) => !c.experimentalDecorators)!, CONFIGS.find((c) => c.experimentalDecorators)!].entries()) {
  test(`fuzz through the source core (${config.name}): random method bodies behave the same instrumented`, async (t) => {
    const runSeed = currentRunSeed().seed;
    // The two dialects' batches draw different cases from one run seed.
    const generated = Array.from({ length: cases }, (_, i) => generateCase(caseSeed(runSeed, i + dialect * cases), !config.experimentalDecorators));
    const sources = harnessSources();
    const modules = generated.map((c) => `fuzz/case-${c.seed}`);
    for (const [i, c] of generated.entries()) sources.set(`${modules[i]}.ts`, c.source);
    sources.set("main.ts", mainSource(modules));
    const { strip, instrument } = await differential(config, sources, false, sourceDualCompile);
    t.diagnostic(`fuzz seed ${runSeed}: ${cases} cases (replay with CHORAGEN_FUZZ_SEED=${runSeed})`);
    const byName = (shapes: typeof strip.observations.shapes) => new Map(shapes.map((s) => [s.name, s]));
    const stripped = byName(strip.observations.shapes);
    const instrumented = byName(instrument.observations.shapes);
    const failures: string[] = [];
    for (const c of generated) {
      const a = stripped.get(caseName(c));
      const b = instrumented.get(caseName(c));
      const js = instrument.outputs.get(`src/fuzz/case-${c.seed}.js`) ?? "";
      try {
        assert.ok(a && b, "the case ran in both builds");
        assert.deepEqual(observable(b), observable(a));
        assert.deepEqual(tally(b.violations), tally(b.expected));
        assert.doesNotMatch(js, /\.(?:latency|memory)\(/, "annotations left in the instrumented output");
        assert.match(js, /contract\)?\(\{/, "no inlined contract in the instrumented output (CommonJS calls it as (0, probe_1.contract)({...}))");
      } catch (error) {
        failures.push(`case ${c.seed}: ${error instanceof Error ? error.message : String(error)}\n${c.source}`);
      }
    }
    assert.deepEqual(instrument.observations.load, strip.observations.load, "module loading");
    assert.deepEqual(instrument.observations.unhandled, strip.observations.unhandled, `unhandled rejections (CHORAGEN_FUZZ_SEED=${runSeed})`);
    if (failures.length > 0) assert.fail(`${failures.length} of ${cases} cases differ (CHORAGEN_FUZZ_SEED=${runSeed}); first:\n${failures[0]}`);
  });
}
