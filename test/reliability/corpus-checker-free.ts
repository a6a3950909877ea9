import { test } from "node:test";
import * as assert from "node:assert/strict";
import { CONFIGS, differential, type DualCompiler } from "./differential";
import { assertIndistinguishable, filesFor, sourcesFor } from "./corpus-sources";

/**
 * The differential corpus (test/fixtures/reliability/corpus/) through a checker-free host (the source-level core
 * the bundler hosts run, or the ts-jest host's tree emitter): built in strip mode and in instrument mode, both
 * programs run and must be indistinguishable to their callers, and the stripped one must record nothing. Two
 * of the build configurations (one per decorator dialect and module system) keep CI time small; the ts-patch host runs all of them in corpus.test.ts.
 */
const SOURCE_CONFIGS = CONFIGS.filter((c) => c.name === "CommonJS ES2022 standard decorators" || c.name === "ESM ESNext experimentalDecorators");

/** The corpus through one checker-free host (`through`: how test names say it), in two build configurations. */
export function corpusThrough(through: string, compile: DualCompiler): void {
  for (const config of SOURCE_CONFIGS) {
    test(`corpus through ${through} (${config.name}): instrumented code is indistinguishable from stripped code`, async (t) => {
      const { strip, instrument } = await differential(config, sourcesFor(config), true, compile);
      assert.ok(strip.observations.shapes.length >= 40, `${strip.observations.shapes.length} shapes`);
      await assertIndistinguishable(t, strip.observations, instrument.observations);
      await t.test("stripped output has no annotation and no contract left", () => {
        for (const file of filesFor(config)) {
          const js = strip.outputs.get(`src/corpus/${file.replace(/\.ts$/, ".js")}`) ?? assert.fail(`no output for ${file}`);
          // Documented limit of a one-file transform: annotations reached through a local module that re-exports
          // the runtime (imports.ts's `local` and `everything`) stay runtime decorators; that module gets a warning.
          const left = js.split("\n").filter((line) => /\.(?:latency|memory)\b|contract\(|@choragen\/perf/.test(line) && !/perf_local|\blocal\.|\beverything\./.test(line));
          assert.deepEqual(left, [], file);
        }
      });
    });
  }
}
