import { test } from "node:test";
import * as assert from "node:assert/strict";
import { compile, TempProject, typescriptUnderTest } from "../support/project";
import { toBase } from "../../runtime/units";
import type { Unit } from "../../runtime/types";

/**
 * The budget a probe compares against is a literal the transformer writes; the runtime converts measurements back
 * with its own units. They must be one exact conversion: 5 ns is 0.000005 ms, not 5 * 1e-6 = 0.0000049999999999999996.
 */
const UNITS: readonly { kind: "latency" | "memory"; unit: Unit }[] = [
  { kind: "latency", unit: "ns" },
  { kind: "latency", unit: "us" },
  { kind: "latency", unit: "ms" },
  { kind: "latency", unit: "s" },
  { kind: "memory", unit: "B" },
  { kind: "memory", unit: "KB" },
  { kind: "memory", unit: "MB" },
  { kind: "memory", unit: "GB" },
];
const BUDGETS = Array.from({ length: 1000 }, (_, i) => i + 1);

test("every integer budget 1-1000 in every unit compiles to the runtime's own conversion, in the contract and in the comparison", () => {
  const tsi = typescriptUnderTest();
  const project = new TempProject();
  try {
    const files = UNITS.map(({ kind, unit }) => {
      const name = `src/${kind}-${unit}.ts`;
      const lines = BUDGETS.map((max) => `export const f${max} = perf.${kind}({ max: ${max}, unit: "${unit}" }, (): number => ${max});`);
      project.write(name, `import { perf } from "@choragen/perf";\n${lines.join("\n")}\n`);
      return name;
    });
    const result = compile(project, files, { transform: "instrument", compilerOptions: { module: tsi.ModuleKind.ESNext, moduleResolution: tsi.ModuleResolutionKind.Bundler } });
    assert.equal(result.diagnostics.length, 0, result.formatDiagnostics());
    const wrong: string[] = [];
    for (const { kind, unit } of UNITS) {
      const js = result.outputs.get(`src/${kind}-${unit}.js`) ?? assert.fail(`no output for ${unit}`);
      const limits = [...js.matchAll(/max: (\d+), unit: "\w+", limit: ([^,]+),/g)];
      const compared = [...js.matchAll(/if \(__perf_d\w* > ([^)]+)\)/g)];
      assert.equal(limits.length, BUDGETS.length, `${unit}: one contract per budget`);
      assert.equal(compared.length, BUDGETS.length, `${unit}: one comparison per budget`);
      for (const [i, match] of limits.entries()) {
        const max = Number(match[1]);
        const expected = toBase(max, unit);
        if (Number(match[2]) !== expected) wrong.push(`${max} ${unit}: limit ${match[2]}, runtime ${expected}`);
        if (Number(compared[i]![1]) !== expected) wrong.push(`${max} ${unit}: compared with ${compared[i]![1]}, runtime ${expected}`);
      }
    }
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} budgets differ`);
  } finally {
    project.remove();
  }
});
