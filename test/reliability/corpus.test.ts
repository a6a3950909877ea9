import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIGS, differential, type Build } from "./differential";
import { assertIndistinguishable, CORPUS, filesFor, sourcesFor } from "./corpus-sources";

/**
 * The differential corpus: every shape in test/fixtures/reliability/corpus/ is compiled with the transformer in
 * strip mode (the code as if never annotated) and in instrument mode, under each build configuration; both
 * programs run, and must be indistinguishable to their callers. `*.standard.ts` files use what only standard
 * decorators allow, `*.experimental.ts` what only experimentalDecorators allows.
 */

/** Marks a wrapper whose function is not written in place: documented to stay a runtime call. */
const RUNTIME_WRAPPER_MARK = "// stays a runtime wrapper";

/** Annotations and wrappers in a corpus source: the `x.latency` / `x.memory` references outside comments. */
function annotationLines(text: string): { inlined: number; runtime: number } {
  let inlined = 0;
  let runtime = 0;
  for (const line of text.split("\n")) {
    if (/^\s*\/\//.test(line)) continue;
    const count = (line.match(/\.(?:latency|memory)\b/g) ?? []).length;
    if (line.includes(RUNTIME_WRAPPER_MARK)) runtime += count;
    else inlined += count;
  }
  return { inlined, runtime };
}

function emitted(build: Build, file: string): string {
  const js = file.replace(/\.ts$/, ".js");
  return build.outputs.get(`src/corpus/${js}`) ?? assert.fail(`no output for ${file} among ${[...build.outputs.keys()].join(", ")}`);
}

const shapeCount = new Set<string>();

for (const config of CONFIGS) {
  test(`corpus (${config.name}): instrumented code is indistinguishable from stripped code`, async (t) => {
    const { strip, instrument } = await differential(config, sourcesFor(config));
    for (const s of strip.observations.shapes) shapeCount.add(s.name);
    await assertIndistinguishable(t, strip.observations, instrument.observations);

    await t.test("no annotation of ours is left in instrumented output, and each has its contract", () => {
      for (const file of filesFor(config)) {
        const source = fs.readFileSync(path.join(CORPUS, file), "utf8");
        const { inlined, runtime } = annotationLines(source);
        const js = emitted(instrument, file);
        const left = js.split("\n").filter((line) => /\.(?:latency|memory)\b/.test(line));
        assert.equal(left.length, runtime, `${file}: only documented runtime wrappers may stay:\n${left.join("\n")}`);
        assert.equal((js.match(/[._]contract\(\{/g) ?? []).length, inlined, `${file}: one inlined contract per annotation`);
      }
    });
    await t.test("an annotation without options takes the project's configured default", { skip: filesFor(config).includes("classes.ts") ? false : "classes.ts does not run here" }, () => {
      assert.match(emitted(instrument, "classes.ts"), /target: "Thermostat\.defaulted"[^}]*max: 60, unit: "s", limit: 60000/);
    });
    await t.test("stripped output has no annotation and no contract left", () => {
      for (const file of filesFor(config)) {
        const js = emitted(strip, file);
        assert.doesNotMatch(js, /\.(?:latency|memory)\b|contract\(|@choragen\/perf/, file);
      }
    });
  });
}

test("the corpus has at least 40 shapes", () => {
  assert.ok(shapeCount.size >= 40, `${shapeCount.size} shapes`);
  process.stdout.write(`# corpus: ${shapeCount.size} shapes across ${CONFIGS.length} build configurations\n`);
});
