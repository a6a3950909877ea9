import { test } from "node:test";
import * as assert from "node:assert/strict";
import type * as ts from "typescript";
import { SourceTransformer } from "../../transformer/source";
import { compile, TempProject, typescriptUnderTest } from "../support/project";

/**
 * The two hosts decide which annotations are theirs differently (the ts-patch host through the type checker, the
 * source core of the bundlers and ts-jest through the file's imports), but the misuse checks are one definition
 * (transformer/match/misuse.ts): the same source gives the same diagnostic in both, to the letter and the offset.
 * Each ⟨here⟩ marks where the one diagnostic of its file must start.
 */
interface Case {
  readonly name: string;
  readonly code: number;
  readonly source: string;
  readonly dialect?: "experimental";
}

const CASES: readonly Case[] = [
  { name: "on a class", code: 91001, source: `⟨here⟩@perf.latency({ max: 1, unit: "ms" })\nexport class A { run(): void {} }` },
  { name: "on a field", code: 91001, source: `export class A {\n  ⟨here⟩@perf.memory({ max: 1, unit: "MB" })\n  value = 1;\n}` },
  { name: "on an auto-accessor", code: 91001, source: `export class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  accessor value = 1;\n}` },
  { name: "on a generator method", code: 91002, source: `export class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  *items() { yield 1; }\n}` },
  { name: "on an abstract method", code: 91003, source: `export abstract class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  abstract run(): void;\n}` },
  { name: "not called", code: 91010, source: `export class A {\n  // @ts-expect-error not a decorator until called\n  ⟨here⟩@perf.latency\n  run(): void {}\n}` },
  { name: "two arguments as a decorator", code: 91004, source: `export class A {\n  // @ts-expect-error the function form\n  @perf.latency({ max: 1, unit: "ms" }, ⟨here⟩() => 1)\n  run(): void {}\n}` },
  { name: "a generator wrapped", code: 91002, source: `export const g = perf.latency({ max: 1, unit: "ms" }, ⟨here⟩function* () { yield 1; });` },
  // The ts-patch host saw no function literal behind `!` (it skipped parentheses only): no diagnostic there, 91002 here.
  { name: "a generator wrapped behind a non-null assertion", code: 91002, source: `export const g = perf.latency({ max: 1, unit: "ms" }, (⟨here⟩function* () { yield 1; })!);` },
  { name: "a wrapper's unknown unit", code: 91005, source: `export const f = perf.latency({ max: 1, unit: ⟨here⟩"sec" }, () => 1);` },
  { name: "a wrapper's max <= 0", code: 91006, source: `export const f = perf.memory({ max: ⟨here⟩0, unit: "MB" }, () => 1);` },
  // The source core did not check these (it did not know experimentalDecorators): a bundler build went through.
  { name: "on a #private method", code: 91014, dialect: "experimental", source: `export class A {\n  // @ts-expect-error TypeScript rejects it too\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  #run(): void {}\n  go(): void { this.#run(); }\n}` },
  { name: "in a class expression", code: 91014, dialect: "experimental", source: `export const A = class {\n  // @ts-expect-error TypeScript rejects it too\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  run(): void {}\n};` },
  { name: "on both halves of a get/set pair", code: 91014, dialect: "experimental", source: `export class A {\n  @perf.latency({ max: 1, unit: "ms" })\n  get v(): number { return 1; }\n  // @ts-expect-error TypeScript rejects it too\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  set v(x: number) { void x; }\n}` },
];

/** Valid in the standard dialect: places only experimentalDecorators reject. No diagnostic from either host. */
const STANDARD_ONLY = `export class A {\n  @perf.latency({ max: 1, unit: "ms" })\n  #run(): void {}\n  go(): void { this.#run(); }\n}\nexport const B = class {\n  @perf.latency({ max: 1, unit: "ms" })\n  run(): void {}\n};\n`;

const HEADER = `import { perf } from "@choragen/perf";\n`;

interface Said {
  readonly code: number;
  readonly start: number;
  readonly length: number;
  readonly message: string;
}

function fromChecker(d: ts.Diagnostic): Said {
  return { code: d.code, start: d.start ?? -1, length: d.length ?? -1, message: typeof d.messageText === "string" ? d.messageText : d.messageText.messageText };
}

for (const dialect of ["standard", "experimental"] as const) {
  for (const mode of ["instrument", "strip"] as const) {
    test(`misuse (${dialect} decorators, ${mode}): tspc and the source core say the same, at the same place`, () => {
      const project = new TempProject("choragen-misuse-agree-", "module");
      try {
        const experimentalDecorators = dialect === "experimental";
        // The core reads experimentalDecorators where the bundlers do: the nearest tsconfig.json.
        project.write("tsconfig.json", JSON.stringify({ compilerOptions: { experimentalDecorators } }));
        // Every misuse of the standard dialect is one under experimentalDecorators too.
        const cases = experimentalDecorators ? CASES : CASES.filter((c) => c.dialect === undefined);
        const files = cases.map((c, i) => {
          const marked = HEADER + c.source + "\n";
          const at = marked.indexOf("⟨here⟩");
          assert.ok(at >= 0, c.name);
          const text = marked.replace("⟨here⟩", "");
          return { case: c, file: `src/case${i}.ts`, text, at, path: project.write(`src/case${i}.ts`, text) };
        });
        const valid = project.write("src/standard-only.ts", HEADER + STANDARD_ONLY);
        const tsi = typescriptUnderTest();
        const checked = compile(project, [...files.map((f) => f.file), "src/standard-only.ts"], {
          transform: mode,
          compilerOptions: { module: tsi.ModuleKind.ESNext, moduleResolution: tsi.ModuleResolutionKind.Bundler, experimentalDecorators },
        });
        const ours = checked.diagnostics.filter((d) => d.source === "@choragen/perf");
        const core = new SourceTransformer({ mode, cwd: project.dir });
        for (const f of files) {
          const byChecker = ours.filter((d) => d.file?.fileName === f.path).map(fromChecker);
          const byCore = core.transform(f.text, f.path).diagnostics.map((d): Said => ({ code: d.code, start: d.start, length: d.length, message: d.message }));
          assert.equal(byChecker.length, 1, `${f.case.name}: tspc said ${JSON.stringify(byChecker)}`);
          assert.deepEqual(byCore, byChecker, `${f.case.name}: the source core and tspc differ`);
          assert.equal(byChecker[0]!.code, f.case.code, f.case.name);
          assert.equal(byChecker[0]!.start, f.at, `${f.case.name}: starts at ${byChecker[0]!.start}, expected ${f.at}`);
        }
        const standardOnly = { checker: ours.filter((d) => d.file?.fileName === valid).map(fromChecker), core: core.transform(HEADER + STANDARD_ONLY, valid).diagnostics.map((d) => d.code) };
        if (experimentalDecorators) {
          assert.deepEqual(standardOnly.checker.map((d) => d.code), [91014, 91014]);
          assert.deepEqual(standardOnly.core, [91014, 91014]);
        } else {
          assert.deepEqual(standardOnly, { checker: [], core: [] });
        }
      } finally {
        project.remove();
      }
    });
  }
}

test("strip: both hosts strip a wrapper or timer whose callee or function is in parentheses or behind `!`", () => {
  const project = new TempProject("choragen-strip-agree-", "module");
  try {
    const text = `${HEADER}export const f = (perf.latency)({ max: 1, unit: "ms" }, (x: number) => x + 1);\nexport const g = perf.memory({ max: 1, unit: "MB" }, ((x: number) => x * 2)!);\nexport function h(): number {\n  (perf.startTimer)("h");\n  return 3;\n}\n`;
    const file = project.write("src/parens.ts", text);
    const tsi = typescriptUnderTest();
    const checked = compile(project, ["src/parens.ts"], { transform: "strip", compilerOptions: { module: tsi.ModuleKind.ESNext, moduleResolution: tsi.ModuleResolutionKind.Bundler } });
    assert.equal(checked.diagnostics.length, 0, checked.formatDiagnostics());
    const js = checked.outputs.get("src/parens.js") ?? assert.fail("no output");
    const core = new SourceTransformer({ mode: "strip", cwd: project.dir }).transform(text, file);
    assert.equal(core.diagnostics.length, 0);
    for (const [host, out] of [["tspc", js], ["source core", core.code ?? ""]] as const) {
      assert.doesNotMatch(out, /@choragen\/perf|latency|memory|startTimer/, `${host} left an annotation:\n${out}`);
    }
    assert.match(js, /export const f = \(?\(x\) => x \+ 1\)?;/);
  } finally {
    project.remove();
  }
});

test("the core's experimentalDecorators comes from the tsconfig's extends, and from the compiler options ts-jest passes", () => {
  const project = new TempProject("choragen-tsconfig-extends-", "module");
  try {
    project.write("tsconfig.base.json", JSON.stringify({ compilerOptions: { experimentalDecorators: true } }));
    project.write("tsconfig.json", JSON.stringify({ extends: "./tsconfig.base.json", include: ["src"] }));
    const text = HEADER + STANDARD_ONLY;
    const file = project.write("src/a.ts", text);
    const core = new SourceTransformer({ mode: "instrument", cwd: project.dir });
    assert.deepEqual(core.transform(text, file).diagnostics.map((d) => d.code), [91014, 91014]);
    const tsi = typescriptUnderTest();
    const parsed = tsi.createSourceFile(file, text, tsi.ScriptTarget.Latest, true);
    assert.deepEqual(core.decide(tsi, parsed, { experimentalDecorators: false }).diagnostics, []);
    assert.deepEqual(core.decide(tsi, parsed, { experimentalDecorators: true }).diagnostics.map((d) => d.code), [91014, 91014]);
  } finally {
    project.remove();
  }
});
