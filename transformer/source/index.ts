import * as path from "node:path";
import type { SourceMap } from "magic-string" with { "resolution-mode": "import" };
import type * as Config from "../../config";
import type { PerfConfig } from "../../config";
import { resolveMode, type TransformMode } from "../mode";
import type { WrittenBudget } from "../match/options";
import { toBase } from "../../runtime/units";
import type { Unit } from "../../runtime/types";
import type * as ts from "typescript";
import { decide, type Decision } from "./decide";
import { emit } from "./emit";
import type { ContractKindName, SourceContractFacts, SourceDiagnostic } from "./facts";
import { RUNTIME_MARKER } from "./marker";
import { loadTypeScript, parseSource, type TypeScriptApi } from "./parser";
import { TsconfigDecorators } from "./tsconfig";

export type { SourceContractFacts, SourceDiagnostic } from "./facts";

/** What every host passes: the plugin options as users write them. */
export interface SourceTransformOptions {
  readonly mode?: TransformMode;
  /** Path to performance.yaml, relative to `cwd`; default: found by walking up from `cwd`. */
  readonly config?: string;
  /** Where the build runs (the project); default: process.cwd(). */
  readonly cwd?: string;
  /** TypeScript 5/6 for its parser; default: the one this package resolves. */
  readonly typescript?: TypeScriptApi;
}

export interface SourceTransformResult {
  /** The edited source, still TypeScript; undefined when the file needs no change. */
  readonly code: string | undefined;
  readonly map: SourceMap | undefined;
  readonly contracts: readonly SourceContractFacts[];
  readonly diagnostics: readonly SourceDiagnostic[];
}

export { RUNTIME_MARKER } from "./marker";

/**
 * The transform core with its configuration resolved once (mode, performance.yaml, the project root): one per
 * build, shared by every file. Needs no compiler instance and no type checker.
 */
export class SourceTransformer {
  readonly mode: TransformMode;
  readonly root: string;
  private readonly config: PerfConfig;
  private readonly contractBudget: typeof Config.contractBudget;
  private readonly explicitTypeScript: TypeScriptApi | undefined;
  /** Per TypeScript copy (ts-jest brings its own): the tsconfig reader for TS91014, made when first asked. */
  private readonly tsconfigs = new WeakMap<TypeScriptApi, TsconfigDecorators>();

  constructor(options: SourceTransformOptions = {}) {
    const cwd = path.resolve(options.cwd ?? process.cwd());
    this.mode = resolveMode(options.mode);
    // Loaded here, not at import: a build whose files never mention @choragen/perf never pays for the YAML
    // parser and the schema (≈ 0.25 s on the shared test machine).
    const { loadConfig } = require("../../config") as typeof Config;
    const loaded = options.config === undefined ? loadConfig({ cwd }) : loadConfig({ cwd, explicitPath: path.resolve(cwd, options.config) });
    this.config = loaded.config;
    this.root = loaded.root;
    this.explicitTypeScript = options.typescript;
    this.contractBudget = (require("../../config") as typeof Config).contractBudget;
  }

  /** `fileName`: absolute, as the bundler names the module. */
  transform(text: string, fileName: string): SourceTransformResult {
    if (!text.includes(RUNTIME_MARKER)) return { code: undefined, map: undefined, contracts: [], diagnostics: [] };
    const tsi = this.explicitTypeScript ?? loadTypeScript();
    const sourceFile = parseSource(tsi, fileName, text);
    const decision = this.decide(tsi, sourceFile);
    const emitted = emit(tsi, decision, fileName);
    return { code: emitted?.code, map: emitted?.map, contracts: decision.contracts.map((c) => c.facts), diagnostics: decision.diagnostics };
  }

  /**
   * The decisions for a file some compiler already parsed (parent pointers set), with that compiler's own
   * TypeScript: the ts-jest host applies them to the compiler's original nodes, and passes the compiler options
   * it compiles with. Without them, `experimentalDecorators` is read from the nearest tsconfig.json, as bundlers do.
   */
  decide(tsi: TypeScriptApi, sourceFile: ts.SourceFile, compilerOptions?: ts.CompilerOptions): Decision {
    return decide(
      {
        tsi,
        mode: this.mode,
        file: path.relative(this.root, sourceFile.fileName).split(path.sep).join("/"),
        defaultBudget: (kind, f, target): WrittenBudget => this.contractBudget(this.config, kind, f, target).budget,
        toMeasured: (_kind: ContractKindName, max, unit) => toBase(max, unit as Unit),
        experimentalDecorators: (fileName) => (compilerOptions ? compilerOptions.experimentalDecorators === true : this.tsconfigFor(tsi).experimentalDecorators(fileName)),
      },
      sourceFile,
    );
  }

  private tsconfigFor(tsi: TypeScriptApi): TsconfigDecorators {
    let reader = this.tsconfigs.get(tsi);
    if (reader === undefined) {
      reader = new TsconfigDecorators(tsi);
      this.tsconfigs.set(tsi, reader);
    }
    return reader;
  }
}

/** `src/a.ts:12:5 - error PERF91004: ...`, one per line. */
export function formatSourceDiagnostics(diagnostics: readonly SourceDiagnostic[]): string {
  return diagnostics.map((d) => `${d.file}:${d.line}:${d.column} - ${d.severity} PERF${d.code}: ${d.message}`).join("\n");
}

