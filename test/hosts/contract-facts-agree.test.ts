import { test } from "node:test";
import * as assert from "node:assert/strict";
import { SourceTransformer } from "../../transformer/source";
import { compile, TempProject, typescriptUnderTest } from "../support/project";

/**
 * A contract's id is how reports, percentiles across processes and baselines know it, so the same source must give
 * the same ids whichever host builds it (transformer/match/contract-facts.ts). Two annotations of one kind on one
 * method are told apart by an ordinal, handed out innermost first; the source core used to hand it out in the
 * order written, so tspc's `A.run` latency #0 was the core's #1.
 */
const SOURCE = `import { perf } from "@choragen/perf";
export class A {
  @perf.latency({ max: 1, unit: "ms" })
  @perf.latency({ max: 2, unit: "ms", percentile: 95 })
  @perf.memory({ max: 3, unit: "MB" })
  run(): number { return 1; }

  @perf.latency({ max: 4, unit: "us" })
  other(): number { return 2; }
}
export const run = perf.latency({ max: 5, unit: "ms" }, () => 3);
export const again = perf.latency({ max: 6, unit: "ms", name: "A.run" }, () => 4);
`;

/** `id target line max unit percentile`, one a contract, sorted: what both hosts must agree on. */
function summary(facts: readonly { id: string; target: string; line: number; max: number; unit: string; percentile?: number | undefined }[]): string[] {
  return facts.map((f) => `${f.id} ${f.target} ${f.line} ${f.max}${f.unit} p${f.percentile ?? "-"}`).sort();
}

test("tspc and the source core give the same contract facts and ids, two annotations of one kind on a method included", () => {
  const project = new TempProject("choragen-facts-agree-", "module");
  try {
    const file = project.write("src/a.ts", SOURCE);
    const tsi = typescriptUnderTest();
    const checked = compile(project, ["src/a.ts"], { transform: "instrument", compilerOptions: { module: tsi.ModuleKind.ESNext, moduleResolution: tsi.ModuleResolutionKind.Bundler } });
    assert.equal(checked.diagnostics.length, 0, checked.formatDiagnostics());
    const js = checked.outputs.get("src/a.js") ?? assert.fail("no output");
    const byChecker = [...js.matchAll(/_contract\(\{ id: "(\w+)", kind: "\w+", target: "([^"]+)", file: "src\/a\.ts", line: (\d+), max: ([\d.]+), unit: "(\w+)", limit: [\d.e+]+(?:, percentile: (\d+))?/g)].map((m) => ({
      id: m[1]!,
      target: m[2]!,
      line: Number(m[3]),
      max: Number(m[4]),
      unit: m[5]!,
      percentile: m[6] === undefined ? undefined : Number(m[6]),
    }));
    const byCore = new SourceTransformer({ mode: "instrument", cwd: project.dir }).transform(SOURCE, file).contracts;
    assert.equal(byChecker.length, 6, js);
    assert.deepEqual(summary(byCore), summary(byChecker));
    // Not vacuous: three latency contracts on the target `A.run` (two decorators and a wrapper named so), so the
    // ordinals are in play, and every id differs.
    assert.equal(new Set(byCore.map((c) => c.id)).size, 6);
  } finally {
    project.remove();
  }
});
