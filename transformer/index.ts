import * as path from "node:path";
import type * as ts from "typescript";
import { PerfDiagnostic, globalDiagnostic } from "./errors";
import { transformSourceFile, type ProgramContext } from "./file";
import { createRuntimeFileTest } from "./match/runtime-symbol";
import type { WrittenBudget } from "./match/options";
import { resolveMode, type TransformMode } from "./mode";
import { ConfigError, contractBudget, defaultConfig, loadConfig, toBytes, toMilliseconds, type PerfConfig } from "../config";
import type { LatencyUnit, MemoryUnit } from "../runtime/types";

/** The options of the tsconfig `plugins` entry. */
export interface PerfTransformerOptions {
  readonly mode?: TransformMode;
  /** Path to performance.yaml, relative to the tsconfig's folder; default: found by walking up from it. */
  readonly config?: string;
}

/** What ts-patch passes as its third argument (both ts-patch 3 and 4). */
export interface TransformerExtras {
  readonly ts?: typeof ts;
  readonly addDiagnostic?: (diagnostic: ts.Diagnostic) => number;
}

export type { TransformMode } from "./mode";
export { modeInBuildInfo } from "./incremental";
import { lacksModeEntry, MODE_ENTRY } from "./incremental";

/**
 * The ts-patch entry point: `{ "transform": "@choragen/perf/transformer" }` in tsconfig `plugins`.
 * Uses the TypeScript instance ts-patch hands over, so the same build works with TypeScript 5 and 6.
 */
export default function perfTransformer(
  program: ts.Program,
  options: PerfTransformerOptions = {},
  extras: TransformerExtras = {},
): ts.TransformerFactory<ts.SourceFile> {
  const tsi = extras.ts ?? (require("typescript") as typeof ts);
  const addDiagnostic = extras.addDiagnostic ?? ((d: ts.Diagnostic) => {
    throw new Error(tsi.flattenDiagnosticMessageText(d.messageText, "\n"));
  });
  const pc = createProgramContext(tsi, program, options, (d) => void addDiagnostic(d));
  if (lacksModeEntry(program.getCompilerOptions())) {
    addDiagnostic(globalDiagnostic(tsi, PerfDiagnostic.IncrementalMode, [
      `@choragen/perf: this build is incremental (incremental, composite or tsc -b), and TypeScript re-emits only files whose text or emit options changed; the mode (${pc.mode}) is neither, so a build in the other mode would re-emit nothing and keep this build's output (probes shipped to production, or none in development).`,
      `Add this entry after the transformer's in tsconfig "plugins", so the mode is part of what the build info compares: ${MODE_ENTRY}`,
    ].join(" ")));
  }
  return (context) => (sourceFile) => transformSourceFile(pc, context, sourceFile);
}

/** For compiler-API users: the factory plus the diagnostics it reports, instead of ts-patch's collector. */
export function createPerfTransformer(
  program: ts.Program,
  options: PerfTransformerOptions = {},
  tsi: typeof ts = require("typescript") as typeof ts,
): { factory: ts.TransformerFactory<ts.SourceFile>; diagnostics: ts.Diagnostic[] } {
  const diagnostics: ts.Diagnostic[] = [];
  const pc = createProgramContext(tsi, program, options, (d) => diagnostics.push(d));
  return { factory: (context) => (sourceFile) => transformSourceFile(pc, context, sourceFile), diagnostics };
}

function createProgramContext(
  tsi: typeof ts,
  program: ts.Program,
  options: PerfTransformerOptions,
  addDiagnostic: (diagnostic: ts.Diagnostic) => void,
): ProgramContext {
  const compilerOptions = program.getCompilerOptions();
  const configFilePath = compilerOptions["configFilePath"];
  const projectDir = typeof configFilePath === "string" ? path.dirname(configFilePath) : program.getCurrentDirectory();
  let mode: TransformMode = "instrument";
  try {
    mode = resolveMode(options.mode);
  } catch (error) {
    addDiagnostic(globalDiagnostic(tsi, PerfDiagnostic.Config, `@choragen/perf: ${(error as Error).message}.`));
  }
  let config: PerfConfig;
  let root = projectDir;
  try {
    const loaded = loadConfig({ cwd: projectDir, ...(options.config ? { explicitPath: path.resolve(projectDir, options.config) } : {}) });
    config = loaded.config;
    root = loaded.root;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    addDiagnostic(globalDiagnostic(tsi, PerfDiagnostic.Config, error.message));
    config = defaultConfig().config;
  }
  return {
    tsi,
    checker: program.getTypeChecker(),
    mode,
    root,
    isRuntimeFile: createRuntimeFileTest(),
    addDiagnostic,
    defaultBudget: (kind, file, target): WrittenBudget => contractBudget(config, kind, file, target).budget,
    onViolation: config.contracts.onViolation,
    verbatimModuleSyntax: compilerOptions.verbatimModuleSyntax === true,
    decoratorMetadata: compilerOptions.experimentalDecorators === true && compilerOptions.emitDecoratorMetadata === true,
    experimentalDecorators: compilerOptions.experimentalDecorators === true,
    strictNullChecks: compilerOptions.strictNullChecks ?? compilerOptions.strict ?? false,
    toMeasured: (kind, max, unit) => (kind === "latency" ? toMilliseconds(max, unit as LatencyUnit) : toBytes(max, unit as MemoryUnit)),
  };
}
