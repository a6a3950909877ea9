import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { SourceTransformer } from "../../transformer/source";
import { HostProject } from "./support";

const HEADER = `import { perf } from "@choragen/perf";\n`;

/** ⟨here⟩ marks where the diagnostic must start (removed before the transform). */
const CASES: { name: string; code: number; message: RegExp; source: string }[] = [
  { name: "on a class", code: 91001, message: /not a class/, source: `⟨here⟩@perf.latency({ max: 1, unit: "ms" })\nexport class A { run(): void {} }` },
  { name: "on a field", code: 91001, message: /not a field/, source: `export class A {\n  ⟨here⟩@perf.memory({ max: 1, unit: "MB" })\n  value = 1;\n}` },
  { name: "on a generator", code: 91002, message: /cannot annotate a generator/, source: `export class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  *items() { yield 1; }\n}` },
  { name: "on an abstract method", code: 91003, message: /abstract member/, source: `export abstract class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  abstract run(): void;\n}` },
  { name: "options from a variable", code: 91004, message: /found the identifier "budget"/, source: `const budget = { max: 1, unit: "ms" } as const;\nexport class A {\n  @perf.latency(⟨here⟩budget)\n  run(): void {}\n}` },
  { name: "unknown unit", code: 91005, message: /Unknown latency unit "sec"; did you mean "s"\?/, source: `export class A {\n  @perf.latency({ max: 1, unit: ⟨here⟩"sec" })\n  run(): void {}\n}` },
  { name: "max <= 0", code: 91006, message: /greater than 0; found 0/, source: `export class A {\n  @perf.latency({ max: ⟨here⟩0, unit: "ms" })\n  run(): void {}\n}` },
  { name: "not called", code: 91010, message: /must be called/, source: `export class A {\n  ⟨here⟩@perf.latency\n  run(): void {}\n}` },
  { name: "a generator wrapped", code: 91002, message: /cannot wrap a generator function/, source: `export const g = perf.latency({ max: 1, unit: "ms" }, ⟨here⟩function* () { yield 1; });` },
  { name: "through a namespace import", code: 91006, message: /greater than 0/, source: `export class A {\n  @P.perf.memory({ max: ⟨here⟩-1, unit: "MB" })\n  run(): void {}\n}`.replace(/^/, `import * as P from "@choragen/perf";\n`) },
];

for (const mode of ["instrument", "strip"] as const) {
  for (const c of CASES) {
    test(`source core (${mode}): ${c.name} is diagnostic ${c.code} at its line and column`, () => {
      const written = HEADER + c.source;
      const at = written.indexOf("⟨here⟩");
      const text = written.replace("⟨here⟩", "");
      const before = text.slice(0, at).split("\n");
      const core = new SourceTransformer({ mode, cwd: __dirname });
      const result = core.transform(text, path.join(__dirname, "case.ts"));
      assert.equal(result.diagnostics.length, 1, JSON.stringify(result.diagnostics));
      const d = result.diagnostics[0]!;
      assert.equal(d.code, c.code);
      assert.match(d.message, c.message);
      assert.deepEqual([d.line, d.column, d.start], [before.length, before[before.length - 1]!.length + 1, at]);
    });
  }
}

test("a shadowing local named perf is not ours: nothing is transformed", () => {
  const text = `${HEADER}export function f(perf: { latency(o: object, fn: () => number): () => number }) {\n  return perf.latency({ max: 1, unit: "ms" }, () => 1);\n}\nexport const used = perf;\n`;
  const result = new SourceTransformer({ mode: "strip", cwd: __dirname }).transform(text, path.join(__dirname, "case.ts"));
  assert.equal(result.code, undefined);
});

test("an esbuild build of a misused annotation fails, naming the TypeScript file, line and column", async () => {
  const project = new HostProject("host-misuse");
  try {
    project.write("src/bad.ts", `${HEADER}export class A {\n  @perf.latency({ max: 0, unit: "ms" })\n  run(): void {}\n}\n`);
    project.write("build.mjs", `import * as esbuild from "esbuild";\nimport perf from "@choragen/perf/esbuild";\nawait esbuild.build({ entryPoints: ["src/bad.ts"], bundle: true, outfile: "out/bad.js", external: ["@choragen/perf*"], plugins: [perf()], logLevel: "silent" }).catch((e) => { console.error(e.message); process.exit(1); });\n`);
    const run = await project.node(["build.mjs"]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /src\/bad\.ts:3:24 - error PERF91006: perf\.latency "max" must be a finite number greater than 0; found 0\./);
    assert.doesNotMatch(run.stderr, /\n\s+at /, "a user's mistake, not a stack trace");
  } finally {
    project.remove();
  }
});

test("an esbuild build under experimentalDecorators (from the tsconfig's extends) fails on a #private annotation, as tspc does; without them it builds", async () => {
  const project = new HostProject("host-legacy-decorators");
  try {
    const source = `${HEADER}export class A {\n  @perf.latency({ max: 1, unit: "ms" })\n  #run(): number { return 1; }\n  go(): number { return this.#run(); }\n}\n`;
    project.write("src/a.ts", source);
    project.write("tsconfig.base.json", JSON.stringify({ compilerOptions: { experimentalDecorators: true } }));
    project.write("build.mjs", `import * as esbuild from "esbuild";\nimport perf from "@choragen/perf/esbuild";\nawait esbuild.build({ entryPoints: ["src/a.ts"], bundle: true, outfile: "out/a.js", external: ["@choragen/perf*"], plugins: [perf()], logLevel: "silent" }).catch((e) => { console.error(e.message); process.exit(1); });\n`);
    for (const mode of ["instrument", "strip"]) {
      project.write("tsconfig.json", JSON.stringify({ extends: "./tsconfig.base.json" }));
      const legacy = await project.node(["build.mjs"], { CHORAGEN_PERF_MODE: mode });
      assert.equal(legacy.status, 1, `${mode}: ${legacy.stderr}`);
      assert.match(legacy.stderr, /src\/a\.ts:3:3 - error PERF91014: @perf\.latency cannot go on a #private method or accessor under experimentalDecorators/);
      assert.doesNotMatch(legacy.stderr, /\n\s+at /, "a user's mistake, not a stack trace");
      // Standard decorators: the same file builds, and the annotation is inlined (instrument) or gone (strip).
      project.write("tsconfig.json", JSON.stringify({ compilerOptions: { experimentalDecorators: false } }));
      const standard = await project.node(["build.mjs"], { CHORAGEN_PERF_MODE: mode });
      assert.equal(standard.status, 0, `${mode}: ${standard.stderr}`);
      const out = project.read("out/a.js");
      if (mode === "instrument") assert.match(out, /target: "A\.#run"/);
      else assert.doesNotMatch(out, /@choragen\/perf|latency/);
    }
  } finally {
    project.remove();
  }
});
