import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { after, describe, it } from "node:test";
import ts from "typescript";
import { fixtures, repoRoot, runNode, tempProject } from "./helpers";

const project = tempProject();
after(project.cleanup);

/** Compiles fixture files with plain tsc (no transformer) into a folder of the scratch project. */
function compile(folder: string, files: readonly string[], experimentalDecorators: boolean): { dir: string; errors: ts.Diagnostic[] } {
  const dir = join(project.dir, folder);
  mkdirSync(dir, { recursive: true });
  const roots = files.map((file) => {
    const target = join(dir, basename(file));
    copyFileSync(join(fixtures, "decorators", file), target);
    return target;
  });
  const program = ts.createProgram(roots, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    typeRoots: [join(repoRoot, "node_modules/@types")],
    strict: true,
    noImplicitOverride: true,
    skipLibCheck: true,
    experimentalDecorators,
    rootDir: dir,
    outDir: dir,
  });
  const emitted = program.emit();
  return { dir, errors: [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics] };
}

function format(errors: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => project.dir, getNewLine: () => "\n" });
}

interface FixtureOutput {
  results: Record<string, unknown>;
  violations: string[];
  thresholds: Record<string, string>;
  sites: string[];
}

async function run(dir: string, file: string): Promise<FixtureOutput> {
  const result = await runNode([join(dir, file)], { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  return JSON.parse(result.stdout) as FixtureOutput;
}

/** The reported site of a decorated method points at its decorator in the compiled JavaScript. */
function assertSiteIsDecorator(dir: string, site: string | undefined): void {
  assert.ok(site !== undefined);
  const [file, line] = site.split(":");
  const text = readFileSync(join(dir, file as string), "utf8").split("\n")[Number(line) - 1];
  assert.match(text ?? "", /perf\.latency\(tiny\)/, `line ${line} of ${file}: ${text}`);
}

describe("decorators without the transformer (plain tsc)", () => {
  it("standard decorators: methods, static, accessors, #private, async, promise-returning, memory, defaults", async () => {
    const { dir, errors } = compile("standard", ["standard.ts", "esm-user.mts"], false);
    assert.deepEqual(errors, [], format(errors));
    const out = await run(dir, "standard.js");
    assert.deepEqual(out.results, {
      work: 5, make: "made", value: 7, set: 9, load: "loaded", later: 5, secret: 3, grow: 1 << 20, configured: 0, quick: 1,
      name: "work", length: 2,
    });
    assert.deepEqual(out.violations, [
      "Base.#secret latency decorator async=false",
      "Base.configured latency decorator async=false",
      // Accessors are named as the transformer names them.
      "Base.get value latency decorator async=false",
      "Base.grow memory decorator async=false",
      "Base.later latency decorator async=true",
      "Base.load latency decorator async=true",
      "Base.make latency decorator async=false",
      "Base.set value latency decorator async=false",
      "Base.work latency decorator async=false",
    ]);
    assert.equal(out.thresholds["Defaults.quick"], "200 ms", "the documented default");
    assert.equal(out.thresholds["Base.configured"], "3 us", "perf.configure() default");
    assert.equal(out.thresholds["Base.grow"], "1 KB");
    assertSiteIsDecorator(dir, out.sites[0]);
  });

  it("standard decorators from an ESM module (the package's import entry)", async () => {
    const dir = join(project.dir, "standard");
    const result = await runNode([join(dir, "esm-user.mjs")], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "Service.run\n");
  });

  it("experimentalDecorators: methods, static, accessor pairs, async, promise-returning, memory", async () => {
    const { dir, errors } = compile("experimental", ["experimental.ts"], true);
    assert.deepEqual(errors, [], format(errors));
    const out = await run(dir, "experimental.js");
    assert.deepEqual(out.results, {
      work: 5, make: "made", value: 7, set: 9, load: "loaded", later: 5, grow: 1 << 20, quick: 1, name: "work", length: 2,
    });
    assert.deepEqual(out.violations, [
      "Base.get value latency decorator async=false",
      "Base.grow memory decorator async=false",
      "Base.later latency decorator async=true",
      "Base.load latency decorator async=true",
      "Base.make latency decorator async=false",
      "Base.set value latency decorator async=false",
      "Base.work latency decorator async=false",
    ]);
    assert.equal(out.thresholds["Base.quick"], "200 ms");
    assertSiteIsDecorator(dir, out.sites[0]);
  });

  for (const experimental of [false, true]) {
    it(`rejects a class, a field and wrong units at type-check time (${experimental ? "experimentalDecorators" : "standard"})`, () => {
      const { dir, errors } = compile(experimental ? "misuse-experimental" : "misuse-standard", ["misuse.ts"], experimental);
      const source = readFileSync(join(dir, "misuse.ts"), "utf8").split("\n");
      const marked = source.flatMap((text, index) => (text.includes("// error") ? [index + 1] : []));
      const reported = new Set(
        errors.filter((e) => e.file !== undefined && e.start !== undefined)
          .map((e) => (e.file as ts.SourceFile).getLineAndCharacterOfPosition(e.start as number).line + 1),
      );
      assert.deepEqual([...reported].sort((a, b) => a - b), marked, format(errors));
    });
  }
});
