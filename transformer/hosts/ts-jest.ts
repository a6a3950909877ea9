import * as fs from "node:fs";
import type * as ts from "typescript";
import { findConfigFile } from "../../config/find";
import { resolveMode, type TransformMode } from "../mode";
import { RUNTIME_MARKER, SourceTransformer, formatSourceDiagnostics } from "../source";
import type { SourceDiagnostic } from "../source/facts";
import { emitTree } from "../tree";

/**
 * `@choragen/perf/ts-jest`: a ts-jest AST transformer,
 * `astTransformers: { before: ["@choragen/perf/ts-jest"] }` (or `{ path: "@choragen/perf/ts-jest", options: { mode, config } }`).
 * It works the same whether ts-jest compiles with a language service (a Program) or transpiles file by file
 * (`isolatedModules`, no Program): the source-level core decides without a checker, and the tree emitter applies
 * its decisions to ts-jest's own nodes with ts-jest's own TypeScript.
 */
export interface PerfTsJestOptions {
  /** Default: env CHORAGEN_PERF_MODE, else `strip` when NODE_ENV=production, else `instrument`. */
  readonly mode?: TransformMode;
  /** Path to performance.yaml, relative to Jest's rootDir; default: found by walking up from it. */
  readonly config?: string;
}

/** What ts-jest hands a transformer's factory (its TsCompiler), as far as this host reads it. */
export interface TsJestCompiler {
  readonly configSet: {
    /** The TypeScript ts-jest compiles with: the only copy whose nodes it accepts back. */
    readonly compilerModule: typeof ts;
    readonly rootDir: string;
    readonly cwd: string;
    /** Throws a TSError for errors (unless the user's ts-jest `diagnostics` say otherwise). */
    raiseDiagnostics(diagnostics: ts.Diagnostic[], filePath?: string): void;
  };
  /** Undefined in transpile mode (isolatedModules); not needed here. */
  readonly program?: ts.Program;
}

export const name = "@choragen/perf";

/**
 * ts-jest puts `name` and `version` in its cache key; Jest's own key does not see the environment. So the mode
 * the environment selects and the config file's text are part of the version: switching NODE_ENV=production, or
 * editing a default budget, recompiles instead of reusing the other build's output from Jest's cache.
 */
export const version = cacheVersion();

function cacheVersion(): string {
  const own = (JSON.parse(fs.readFileSync(require.resolve("../../../package.json"), "utf8")) as { version: string }).version;
  let mode: string;
  try {
    mode = resolveMode(undefined);
  } catch {
    mode = "invalid-mode";
  }
  const configFile = findConfigFile(process.cwd());
  let config = "no-config";
  if (configFile !== null) {
    const text = fs.readFileSync(configFile, "utf8");
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    config = hash.toString(16);
  }
  return `${own}+${mode}+${config}`;
}

const cores = new Map<string, SourceTransformer>();

/** One core per project and options (ts-jest calls the factory for every file it emits). */
function coreFor(compiler: TsJestCompiler, options: PerfTsJestOptions): SourceTransformer {
  const key = JSON.stringify([compiler.configSet.rootDir, options.mode ?? null, options.config ?? null]);
  let core = cores.get(key);
  if (!core) {
    core = new SourceTransformer({ cwd: compiler.configSet.rootDir, ...(options.mode ? { mode: options.mode } : {}), ...(options.config ? { config: options.config } : {}) });
    cores.set(key, core);
  }
  return core;
}

export function factory(compiler: TsJestCompiler, options: PerfTsJestOptions = {}): ts.TransformerFactory<ts.SourceFile> {
  const tsi = compiler.configSet.compilerModule;
  const core = coreFor(compiler, options);
  return (context) => (sourceFile) => {
    if (sourceFile.isDeclarationFile || !sourceFile.text.includes(RUNTIME_MARKER)) return sourceFile;
    // The options ts-jest compiles with (its tsconfig and overrides): whether experimentalDecorators reject an
    // annotation's place is decided on them, as tsc would.
    const decision = core.decide(tsi, sourceFile, context.getCompilerOptions());
    report(compiler, tsi, sourceFile, decision.diagnostics);
    return emitTree(tsi, context, decision);
  };
}

/** Misuse stops the file as a TypeScript error would (ts-jest's own policy); warnings are said on stderr. */
function report(compiler: TsJestCompiler, tsi: typeof ts, sourceFile: ts.SourceFile, diagnostics: readonly SourceDiagnostic[]): void {
  if (diagnostics.length === 0) return;
  const toDiagnostic = (d: SourceDiagnostic): ts.Diagnostic => ({
    file: sourceFile,
    start: d.start,
    length: d.length,
    messageText: d.message,
    category: d.severity === "error" ? tsi.DiagnosticCategory.Error : tsi.DiagnosticCategory.Warning,
    code: d.code,
    source: "@choragen/perf",
  });
  for (const warning of diagnostics.filter((d) => d.severity === "warning")) {
    process.stderr.write(`${formatSourceDiagnostics([warning])}\n`);
  }
  const errors = diagnostics.filter((d) => d.severity === "error").map(toDiagnostic);
  if (errors.length > 0) compiler.configSet.raiseDiagnostics(errors, sourceFile.fileName);
}
