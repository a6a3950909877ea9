import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { REPO_ROOT, TempProject, typescriptUnderTest, type ModuleFlavour } from "../support/project";
import { dualCompile, type DualOutput } from "./dual-compile";

export const RELIABILITY_FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "reliability");

/** One way a user may build: module system, target and decorator flavour. */
export interface BuildConfig {
  readonly name: string;
  readonly flavour: ModuleFlavour;
  readonly target: "ES2017" | "ES2020" | "ES2022" | "ESNext";
  readonly experimentalDecorators: boolean;
  /** With experimentalDecorators: decorated members' signatures are emitted as metadata (and keep their imports). */
  readonly emitDecoratorMetadata?: boolean;
  /** Imports emitted as written: the runtime import must still go in strip mode. ESM only (CommonJS would need require). */
  readonly verbatimModuleSyntax?: boolean;
}

export const CONFIGS: readonly BuildConfig[] = [
  { name: "CommonJS ES2022 standard decorators", flavour: "commonjs", target: "ES2022", experimentalDecorators: false },
  { name: "ESM ES2017 standard decorators", flavour: "module", target: "ES2017", experimentalDecorators: false },
  { name: "ESM ESNext standard decorators", flavour: "module", target: "ESNext", experimentalDecorators: false },
  { name: "CommonJS ES2017 experimentalDecorators", flavour: "commonjs", target: "ES2017", experimentalDecorators: true },
  { name: "ESM ESNext experimentalDecorators", flavour: "module", target: "ESNext", experimentalDecorators: true },
];

/**
 * At ESNext, TypeScript emits standard decorators and auto-accessors as written, and Node 20 cannot parse them:
 * sources that keep a decorator other than ours (or an `accessor`) cannot run in that configuration.
 */
export function runsNatively(config: BuildConfig, source: string): boolean {
  if (config.target !== "ESNext" || config.experimentalDecorators) return true;
  return !/^\s*@(?!perf\.|cp\.perf\.|p\.|local\.|everything\.perf\.)|^\s*(?:static\s+)?accessor\s/m.test(source);
}

export function compilerOptionsFor(config: BuildConfig): ts.CompilerOptions {
  const tsi = typescriptUnderTest();
  return {
    target: tsi.ScriptTarget[config.target],
    module: tsi.ModuleKind.Node16,
    moduleResolution: tsi.ModuleResolutionKind.Node16,
    experimentalDecorators: config.experimentalDecorators,
    ...(config.emitDecoratorMetadata ? { emitDecoratorMetadata: true } : {}),
    ...(config.verbatimModuleSyntax ? { verbatimModuleSyntax: true } : {}),
    // No DOM: the corpus declares the few host globals it uses, and lib.dom.d.ts would dominate compile time.
    lib: ["lib.es2022.d.ts"],
  };
}

/** What the harness prints (test/fixtures/reliability/harness.ts). */
export interface ShapeObservation {
  readonly name: string;
  readonly log: unknown[];
  readonly outcome: Record<string, unknown>;
  readonly violations: string[];
  readonly expected: string[];
}

/** An unhandled rejection the harness saw, with the name of the shape (or fuzz case) that was running. */
export interface UnhandledRejection {
  readonly during: string;
  readonly reason: unknown;
}

export interface Observations {
  readonly load: unknown[];
  readonly shapes: ShapeObservation[];
  readonly unhandled: UnhandledRejection[];
}

export interface Build {
  readonly mode: "instrument" | "strip";
  /** Emitted JavaScript by path relative to the project (src/corpus/x.js). */
  readonly outputs: ReadonlyMap<string, string>;
  readonly observations: Observations;
}

/** A program made of files relative to src/, with src/main.ts as the entry. */
export type Sources = ReadonlyMap<string, string>;

function run(dir: string, entry: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The runs must record violations, whatever the environment of the test run says.
    const env = { ...process.env };
    for (const key of ["CHORAGEN_PERF_ON_VIOLATION", "CHORAGEN_PERF_REPORT", "NODE_OPTIONS"]) delete env[key];
    execFile(process.execPath, [entry], { cwd: dir, encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Annotations written without options take these defaults: generous, like every budget of the corpus that is not
 * meant to be violated, so that a loaded machine cannot turn a stall into a violation.
 */
const PROJECT_CONFIG = `contracts:
  latency:
    default: { max: 60, unit: s }
  memory:
    default: { max: 1, unit: GB }
`;

/**
 * Compiles the sources once and emits them in strip mode and in instrument mode, each into a project of the
 * config's module flavour, then runs src/main.js of both side by side in child processes.
 */
/** How a differential run compiles: the ts-patch transformer (dualCompile) or the source-level core. */
export type DualCompiler = (strip: TempProject, instrument: TempProject, files: readonly string[], compilerOptions: ts.CompilerOptions, typeCheck?: boolean) => DualOutput;

export async function differential(config: BuildConfig, sources: Sources, typeCheck = true, compile: DualCompiler = dualCompile): Promise<{ strip: Build; instrument: Build }> {
  const stripProject = new TempProject("choragen-rel-strip-", config.flavour);
  const instrumentProject = new TempProject("choragen-rel-instrument-", config.flavour);
  try {
    for (const [file, text] of sources) stripProject.write(path.join("src", file), text);
    for (const project of [stripProject, instrumentProject]) project.write(".choragen/performance.yaml", PROJECT_CONFIG);
    const roots = [...sources.keys()].filter((f) => f.endsWith(".ts")).map((f) => path.join("src", f));
    const result = compile(stripProject, instrumentProject, roots, compilerOptionsFor(config), typeCheck);
    assert.equal(result.diagnostics.length, 0, `${config.name}: the program must compile cleanly:\n${result.formatDiagnostics()}`);
    const [stripped, instrumented] = await Promise.all([run(stripProject.dir, "src/main.js"), run(instrumentProject.dir, "src/main.js")]);
    const build = (mode: "strip" | "instrument", outputs: ReadonlyMap<string, string>, child: { code: number; stdout: string; stderr: string }): Build => {
      assert.equal(child.code, 0, `${config.name}, ${mode}: the program failed:\n${child.stderr}`);
      return { mode, outputs, observations: JSON.parse(child.stdout) as Observations };
    };
    return { strip: build("strip", result.strip, stripped), instrument: build("instrument", result.instrument, instrumented) };
  } finally {
    stripProject.remove();
    instrumentProject.remove();
  }
}

/** The harness and its helpers, as sources of a program. */
export function harnessSources(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const file of ["harness.ts", "tools.ts", "perf-local.ts"]) sources.set(file, fs.readFileSync(path.join(RELIABILITY_FIXTURES, file), "utf8"));
  return sources;
}

/** src/main.ts: loads the given modules (relative to src/, without extension) in order, then runs every shape. */
export function mainSource(modules: readonly string[]): string {
  return [
    `import { print, runShapes } from "./harness.js";`,
    ...modules.map((m) => `import "./${m}.js";`),
    `runShapes().then(print, (error: unknown) => {`,
    `  throw error;`,
    `});`,
    "",
  ].join("\n");
}

/** What two builds must agree on for one shape. */
export function observable(shape: ShapeObservation): { log: unknown[]; outcome: Record<string, unknown> } {
  return { log: shape.log, outcome: shape.outcome };
}

/** Counts of `kind:target` strings, so violation lists compare as multisets. */
export function tally(list: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of [...list].sort()) out[item] = (out[item] ?? 0) + 1;
  return out;
}
