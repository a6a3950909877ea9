import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIGS, differential, observable, tally, type Build } from "./differential";
import { CORPUS, filesFor, known, sourcesFor } from "./corpus-sources";

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
    const stripped = strip.observations;
    const instrumented = instrument.observations;
    assert.deepEqual(instrumented.shapes.map((s) => s.name), stripped.shapes.map((s) => s.name), "the same shapes ran");
    for (const s of stripped.shapes) shapeCount.add(s.name);

    await t.test("module loading (decorators applied, static blocks) is the same", () => {
      assert.deepEqual(instrumented.load, stripped.load);
    });
    await t.test("unhandled rejections are the same", known("unhandled rejections are the same"), () => {
      assert.deepEqual(instrumented.unhandled, stripped.unhandled);
    });
    for (const [i, s] of stripped.shapes.entries()) {
      const other = instrumented.shapes[i]!;
      await t.test(s.name, known(s.name), () => {
        assert.deepEqual(observable(other), observable(s));
        assert.deepEqual(s.violations, [], "stripped code records nothing");
        assert.deepEqual(tally(other.violations), tally(other.expected), "instrumented code records exactly the expected violations");
      });
    }
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
