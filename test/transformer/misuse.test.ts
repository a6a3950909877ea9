import { test } from "node:test";
import * as assert from "node:assert/strict";
import { compile, TempProject, typescriptUnderTest } from "../support/project";

/**
 * Each case marks where the diagnostic must start with ⟨here⟩ (removed before compiling), and gives the
 * diagnostic code and a part of its message.
 */
const CASES: { name: string; code: number; message: RegExp; source: string; experimentalDecorators?: boolean }[] = [
  {
    name: "on a class",
    code: 91001,
    message: /can only annotate a method or a get\/set accessor, not a class/,
    source: `⟨here⟩@perf.latency({ max: 1, unit: "ms" })\nexport class A { run(): void {} }`,
  },
  {
    name: "on a field",
    code: 91001,
    message: /not a field/,
    source: `export class A {\n  ⟨here⟩@perf.memory({ max: 1, unit: "MB" })\n  value = 1;\n}`,
  },
  {
    name: "on an auto-accessor",
    code: 91001,
    message: /not an auto-accessor field/,
    source: `export class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  accessor value = 1;\n}`,
  },
  {
    name: "on a generator",
    code: 91002,
    message: /cannot annotate a generator/,
    source: `export class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  *items(): Generator<number> { yield 1; }\n}`,
  },
  {
    name: "on an async generator",
    code: 91002,
    message: /cannot annotate a generator/,
    source: `export class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  async *items(): AsyncGenerator<number> { yield 1; }\n}`,
  },
  {
    name: "on an abstract method",
    code: 91003,
    message: /needs a body to instrument, and this is an abstract member/,
    source: `export abstract class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  abstract run(): void;\n}`,
  },
  {
    name: "on an overload signature",
    code: 91003,
    message: /overload signature/,
    source: `export class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  run(x: string): void;\n  run(x: number): void;\n  run(_x: unknown): void {}\n}`,
  },
  {
    name: "options from a variable",
    code: 91004,
    message: /options must be an object literal .* found the identifier "budget"/,
    source: `const budget = { max: 1, unit: "ms" } as const;\nexport class A {\n  @perf.latency(⟨here⟩budget)\n  run(): void {}\n}`,
  },
  {
    name: "a computed max",
    code: 91004,
    message: /option "max" must be a literal/,
    source: `const limit = 5;\nexport class A {\n  @perf.latency({ max: ⟨here⟩limit * 2, unit: "ms" })\n  run(): void {}\n}`,
  },
  {
    name: "a spread in the options",
    code: 91004,
    message: /plain "key: literal" properties; found a spread/,
    source: `const base = { unit: "ms" } as const;\nexport class A {\n  @perf.latency({ max: 1, ⟨here⟩...base })\n  run(): void {}\n}`,
  },
  {
    name: "an unknown unit",
    code: 91005,
    message: /^Unknown latency unit "sec"; did you mean "s"\? Expected one of: ns, us, ms, s\.$/,
    source: `export class A {\n  // @ts-expect-error the unit is wrong on purpose\n  @perf.latency({ max: 1, unit: ⟨here⟩"sec" })\n  run(): void {}\n}`,
  },
  {
    name: "an unknown unit with no close match",
    code: 91005,
    message: /^Unknown latency unit "parsecs"\. Expected one of: ns, us, ms, s\.$/,
    source: `export class A {\n  // @ts-expect-error the unit is wrong on purpose\n  @perf.latency({ max: 1, unit: ⟨here⟩"parsecs" })\n  run(): void {}\n}`,
  },
  {
    name: "a latency unit on a memory budget",
    code: 91005,
    message: /Unknown memory unit "ms"/,
    source: `export class A {\n  // @ts-expect-error the unit is wrong on purpose\n  @perf.memory({ max: 1, unit: ⟨here⟩"ms" })\n  run(): void {}\n}`,
  },
  {
    name: "max of zero",
    code: 91006,
    message: /"max" must be a finite number greater than 0; found 0/,
    source: `export class A {\n  @perf.latency({ max: ⟨here⟩0, unit: "ms" })\n  run(): void {}\n}`,
  },
  {
    name: "a negative max",
    code: 91006,
    message: /found -5/,
    source: `export class A {\n  @perf.memory({ max: ⟨here⟩-5, unit: "MB" })\n  run(): void {}\n}`,
  },
  {
    name: "a misspelt option",
    code: 91007,
    message: /^Unknown perf\.latency option "maxx"; did you mean "max"\? Expected one of: max, unit, percentile, name\.$/,
    source: `export class A {\n  // @ts-expect-error misspelt on purpose\n  @perf.latency({ ⟨here⟩maxx: 1, unit: "ms" })\n  run(): void {}\n}`,
  },
  {
    name: "a percentile on memory",
    code: 91007,
    message: /^Unknown perf\.memory option "percentile"\. Expected one of: max, unit, name\.$/,
    source: `export class A {\n  // @ts-expect-error memory has no percentile\n  @perf.memory({ max: 1, unit: "MB", ⟨here⟩percentile: 95 })\n  run(): void {}\n}`,
  },
  {
    name: "a percentile out of range",
    code: 91009,
    message: /"percentile" must be greater than 0 and at most 100; found 101/,
    source: `export class A {\n  @perf.latency({ max: 1, unit: "ms", percentile: ⟨here⟩101 })\n  run(): void {}\n}`,
  },
  {
    name: "a missing unit",
    code: 91008,
    message: /need both "max" and "unit"/,
    source: `export class A {\n  // @ts-expect-error unit missing on purpose\n  @perf.latency(⟨here⟩{ max: 1 })\n  run(): void {}\n}`,
  },
  {
    name: "the decorator not called",
    code: 91010,
    message: /@perf.latency must be called/,
    source: `export class A {\n  // @ts-expect-error not called on purpose\n  ⟨here⟩@perf.latency\n  run(): void {}\n}`,
  },
  {
    name: "a wrapped generator function",
    code: 91002,
    message: /cannot wrap a generator function/,
    source: `export const items = perf.latency({ max: 1, unit: "ms" }, ⟨here⟩function* () { yield 1; });`,
  },
  {
    name: "wrapper options that are not literal",
    code: 91004,
    message: /options must be an object literal/,
    source: `const o = { max: 1, unit: "ms" } as const;\nexport const f = perf.latency(⟨here⟩o, (x: number) => x);`,
  },
  {
    name: "on a #private method under experimentalDecorators",
    code: 91014,
    message: /cannot go on a #private method or accessor under experimentalDecorators: TypeScript itself rejects decorators there/,
    source: `export class A {\n  // @ts-expect-error TypeScript rejects it too\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  #run(): void {}\n}`,
    experimentalDecorators: true,
  },
  {
    name: "in a class expression under experimentalDecorators",
    code: 91014,
    message: /cannot go in a class expression under experimentalDecorators/,
    source: `export const A = class {\n  // @ts-expect-error TypeScript rejects it too\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  run(): void {}\n};`,
    experimentalDecorators: true,
  },
  {
    name: "on both halves of a get/set pair under experimentalDecorators",
    code: 91014,
    message: /cannot go on both halves of a get\/set pair \(decorate only the first\) under experimentalDecorators/,
    source: `export class A {\n  @perf.latency({ max: 1, unit: "ms" })\n  get v(): number { return 1; }\n  // @ts-expect-error TypeScript rejects it too\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  set v(x: number) {}\n}`,
    experimentalDecorators: true,
  },
];

for (const mode of ["instrument", "strip"] as const) {
  for (const c of CASES) {
    test(`misuse (${mode}): ${c.name} is a diagnostic at the annotation`, () => {
      const project = new TempProject();
      try {
        const marked = `import { perf } from "@choragen/perf";\n${c.source}\n`;
        const at = marked.indexOf("⟨here⟩");
        assert.ok(at >= 0);
        project.write("src/misuse.ts", marked.replace("⟨here⟩", ""));
        const result = compile(project, ["src/misuse.ts"], { transform: mode, compilerOptions: { module: typescriptUnderTest().ModuleKind.ESNext, moduleResolution: typescriptUnderTest().ModuleResolutionKind.Bundler, experimentalDecorators: c.experimentalDecorators === true } });
        const ours = result.diagnostics.filter((d) => d.source === "@choragen/perf");
        assert.equal(ours.length, 1, `one diagnostic expected, got: ${result.formatDiagnostics()}`);
        const diagnostic = ours[0]!;
        assert.equal(diagnostic.code, c.code);
        assert.match(String(diagnostic.messageText), c.message);
        assert.equal(diagnostic.file?.fileName.endsWith("src/misuse.ts"), true);
        assert.equal(diagnostic.start, at, `diagnostic starts at ${diagnostic.start}, expected ${at}`);
      } finally {
        project.remove();
      }
    });
  }
}
