import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile, REPO_ROOT, TempProject, typescriptUnderTest } from "../support/project";

const GOLDEN = path.join(REPO_ROOT, "test", "fixtures", "transformer", "golden");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";
const LEGACY_REJECTED = new Set(["private-accessor"]);
/** Fixtures whose instrument golden is emitted with other options than ESM (the default). */
const INSTRUMENT_OPTIONS: Record<string, () => Record<string, unknown>> = {
  "commonjs-import": () => ({ module: typescriptUnderTest().ModuleKind.CommonJS, moduleResolution: typescriptUnderTest().ModuleResolutionKind.Node10, esModuleInterop: true }),
};
const fixtures = fs.readdirSync(GOLDEN).filter((f) => f.endsWith(".ts") && !f.endsWith(".plain.ts")).map((f) => f.slice(0, -3));

function emit(source: string, transform: "instrument" | "strip" | "none", options: Record<string, unknown> = {}): string {
  const project = new TempProject();
  try {
    project.write("src/subject.ts", source);
    const result = compile(project, ["src/subject.ts"], { transform, compilerOptions: { module: typescriptUnderTest().ModuleKind.ESNext, moduleResolution: typescriptUnderTest().ModuleResolutionKind.Bundler, ...options } });
    const ours = result.diagnostics.filter((d) => d.source === "@choragen/perf");
    assert.deepEqual(ours.map((d) => d.messageText), [], "no transformer diagnostics");
    return result.outputs.get("src/subject.js") ?? assert.fail("no output");
  } finally {
    project.remove();
  }
}

/**
 * Compares emitted code with its golden file. A missing golden file is a failure, not a file to write:
 * otherwise a new or renamed fixture would pass against whatever the transformer emits today, unread.
 * `update` (UPDATE_GOLDEN=1) writes the file first.
 */
function compareWithGolden(goldenFile: string, actual: string, update: boolean): void {
  if (update) fs.writeFileSync(goldenFile, actual);
  assert.ok(fs.existsSync(goldenFile), `${path.relative(REPO_ROOT, goldenFile)} is missing: run the golden tests with UPDATE_GOLDEN=1, then read the file before committing it`);
  assert.equal(actual, fs.readFileSync(goldenFile, "utf8"));
}

test("a missing golden file fails, and is written only with UPDATE_GOLDEN=1", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "choragen-golden-"));
  try {
    const file = path.join(dir, "new.instrument.js");
    assert.throws(() => compareWithGolden(file, "emitted\n", false), /new\.instrument\.js is missing: run the golden tests with UPDATE_GOLDEN=1/);
    assert.equal(fs.existsSync(file), false, "nothing written without UPDATE_GOLDEN=1");
    compareWithGolden(file, "emitted\n", true);
    assert.equal(fs.readFileSync(file, "utf8"), "emitted\n");
    compareWithGolden(file, "emitted\n", false);
    assert.throws(() => compareWithGolden(file, "changed\n", false), assert.AssertionError);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const name of fixtures) {
  test(`golden: ${name} instruments to the expected JavaScript`, () => {
    const actual = emit(fs.readFileSync(path.join(GOLDEN, `${name}.ts`), "utf8"), "instrument", INSTRUMENT_OPTIONS[name]?.() ?? {});
    compareWithGolden(path.join(GOLDEN, `${name}.instrument.js`), actual, UPDATE);
  });

  const twin = path.join(GOLDEN, `${name}.plain.ts`);
  const matrix: [string, Record<string, unknown>][] = [
    ["ESM, standard decorators", {}],
    ["CommonJS, standard decorators", { module: typescriptUnderTest().ModuleKind.CommonJS, moduleResolution: typescriptUnderTest().ModuleResolutionKind.Node10, esModuleInterop: true }],
    ["ESM, experimentalDecorators", { experimentalDecorators: true }],
    ["ESM, verbatimModuleSyntax", { verbatimModuleSyntax: true }],
    ["ESM, experimentalDecorators + emitDecoratorMetadata", { experimentalDecorators: true, emitDecoratorMetadata: true }],
    ["CommonJS ES2017, experimentalDecorators", { module: typescriptUnderTest().ModuleKind.CommonJS, moduleResolution: typescriptUnderTest().ModuleResolutionKind.Node10, target: typescriptUnderTest().ScriptTarget.ES2017, experimentalDecorators: true }],
  ];
  for (const [label, options] of matrix) {
    // TypeScript rejects decorators on #private members under experimentalDecorators (and so does the transformer, TS91014).
    if (LEGACY_REJECTED.has(name) && options["experimentalDecorators"] === true) continue;
    test(`strip: ${name} is byte-identical to the source written without annotations (${label})`, () => {
      const stripped = emit(fs.readFileSync(path.join(GOLDEN, `${name}.ts`), "utf8"), "strip", options);
      const reference = emit(fs.readFileSync(fs.existsSync(twin) ? twin : path.join(GOLDEN, `${name}.ts`), "utf8"), "none", options);
      assert.equal(stripped, reference);
    });
  }
}

test("instrument leaves code that uses an unrelated `perf` exactly as the compiler would", () => {
  const source = fs.readFileSync(path.join(GOLDEN, "unrelated.ts"), "utf8");
  assert.equal(emit(source, "instrument"), emit(source, "none"));
});
