import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fixtures, runNode, tempProject } from "./helpers";

const project = tempProject();
after(project.cleanup);
copyFileSync(join(fixtures, "load-esm.mjs"), join(project.dir, "load-esm.mjs"));
copyFileSync(join(fixtures, "load-cjs.cjs"), join(project.dir, "load-cjs.cjs"));

async function runJson(dir: string, file: string): Promise<Record<string, unknown>> {
  const result = await runNode([join(dir, file)], { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

for (const [where, dir] of [["an installed package", project.dir], ["inside this package (self-reference)", fixtures]] as const) {
  describe(`loading @choragen/perf by name from ${where}`, () => {
    // `import` loads the real ESM build (dist/runtime/esm/), `require` the CommonJS one: two copies of the code,
    // which must share one registry of contracts and violations and one error class (runtime/state.ts).
    it("ESM: named exports from the real ESM build, one registry with require()", async () => {
      const out = await runJson(dir, "load-esm.mjs");
      assert.deepEqual(out, {
        exports: ["PerformanceViolationError", "configure", "perf"],
        probeExports: ["clock", "contract", "heap"],
        realEsm: ["esm/index.mjs", "esm/probe.mjs"],
        twoCopies: true,
        sameError: true,
        caught: "instanceof",
        configure: "function",
        wrapped: "ok",
        seenFromRequire: ["Esm.call", "esmWrapped", "Cjs.fromEsm", "Cjs.throws"],
        seenFromImport: ["Esm.call", "esmWrapped", "Cjs.fromEsm", "Cjs.throws"],
        contracts: [4, 4],
        heap: "number",
      });
    });

    it("CommonJS: exports work and share one collector with import()", async () => {
      const out = await runJson(dir, "load-cjs.cjs");
      assert.deepEqual(out, {
        exports: ["PerformanceViolationError", "configure", "perf"],
        twoCopies: true,
        sameError: true,
        configure: "function",
        seenFromEsm: ["Cjs.call", "Esm.fromCjs"],
        seenFromRequire: ["Cjs.call", "Esm.fromCjs"],
      });
    });
  });
}
