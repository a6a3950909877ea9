import type * as ts from "typescript";
import type { ContractSpec } from "../../runtime/spec";
import { numeric } from "./probe";

/**
 * One annotation's compile-time facts, emitted as the object literal given to `contract()`: the runtime's own
 * `ContractSpec`, inlined. `onViolation` is written only when the config file says something other than the
 * runtime's default (`record`).
 */
export type ContractFacts = ContractSpec & { readonly origin: "inline" };

export const PROBE_MODULE = "@choragen/perf/probe";

/** What the emitted code uses of the probe surface (runtime/probe.ts). */
export type ProbeExport = "clock" | "contract" | "heap";

/**
 * How the file's output loads modules, as TypeScript will emit it:
 * - `esm`: a named import, `import { clock as __perf_clock, ... } from "@choragen/perf/probe"`;
 * - `commonjs`: `const { clock: __perf_clock, ... } = require("@choragen/perf/probe")`, written as such, because
 *   TypeScript's CommonJS transform rewrites references to an import's names only for names it bound itself
 *   (a named import made by a transformer would leave `__perf_clock` undefined), and a namespace import costs
 *   the `__importStar` helpers under esModuleInterop;
 * - `other` (AMD, UMD, System): a namespace import, which those transforms handle whole.
 */
export type ProbeImportStyle = "esm" | "commonjs" | "other";

/**
 * The statements a file gets once it has at least one inlined contract: the probe import (only the names used)
 * and one registered contract per annotation, all evaluated once at load.
 */
export function moduleStatements(
  tsi: typeof ts,
  f: ts.NodeFactory,
  style: ProbeImportStyle,
  prefix: string,
  used: ReadonlySet<ProbeExport>,
  contracts: readonly { readonly name: ts.Identifier; readonly facts: ContractFacts }[],
): ts.Statement[] {
  const names = (["clock", "contract", "heap"] as const).filter((name) => used.has(name));
  const specifier = f.createStringLiteral(PROBE_MODULE);
  let load: ts.Statement;
  if (style === "esm") {
    const elements = names.map((name) => f.createImportSpecifier(false, f.createIdentifier(name), f.createIdentifier(`${prefix}_${name}`)));
    load = f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamedImports(elements)), specifier);
  } else if (style === "commonjs") {
    const elements = names.map((name) => f.createBindingElement(undefined, f.createIdentifier(name), f.createIdentifier(`${prefix}_${name}`)));
    load = constStatement(tsi, f, f.createObjectBindingPattern(elements), f.createCallExpression(f.createIdentifier("require"), undefined, [specifier]));
  } else {
    load = f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamespaceImport(f.createIdentifier(prefix))), specifier);
  }
  const statements: ts.Statement[] = [load];
  for (const { name, facts } of contracts) {
    const call = f.createCallExpression(probeExport(f, style, prefix, "contract"), undefined, [factsLiteral(tsi, f, facts)]);
    statements.push(constStatement(tsi, f, name, call));
  }
  return statements;
}

/** A reference to one export of the probe surface, as the import style binds it. */
export function probeExport(f: ts.NodeFactory, style: ProbeImportStyle, prefix: string, name: ProbeExport): ts.Expression {
  return style === "other" ? f.createPropertyAccessExpression(f.createIdentifier(prefix), name) : f.createIdentifier(`${prefix}_${name}`);
}

/** The import style for one file, from the module format TypeScript emits it in. */
export function probeImportStyle(tsi: typeof ts, sourceFile: ts.SourceFile, options: ts.CompilerOptions): ProbeImportStyle {
  const format = emitModuleFormat(tsi, sourceFile, options);
  if (format === tsi.ModuleKind.CommonJS) return "commonjs";
  if (format >= tsi.ModuleKind.ES2015) return "esm";
  return "other";
}

function emitModuleFormat(tsi: typeof ts, sourceFile: ts.SourceFile, options: ts.CompilerOptions): ts.ModuleKind {
  // TypeScript's own answer (per file under node16/nodenext: .cts/.mts and package.json "type"); internal in 5 and 6.
  const worker = (tsi as unknown as { getEmitModuleFormatOfFileWorker?: (file: ts.SourceFile, options: ts.CompilerOptions) => ts.ModuleKind }).getEmitModuleFormatOfFileWorker;
  if (typeof worker === "function") return worker(sourceFile, options);
  const implied = sourceFile.impliedNodeFormat;
  if (implied !== undefined) return implied;
  if (options.module !== undefined) return options.module;
  return (options.target ?? tsi.ScriptTarget.ES5) >= tsi.ScriptTarget.ES2015 ? tsi.ModuleKind.ES2015 : tsi.ModuleKind.CommonJS;
}

function factsLiteral(tsi: typeof ts, f: ts.NodeFactory, facts: ContractFacts): ts.ObjectLiteralExpression {
  const properties: ts.PropertyAssignment[] = [];
  for (const [key, value] of Object.entries(facts) as [string, string | number | undefined][]) {
    if (value === undefined) continue;
    properties.push(f.createPropertyAssignment(key, typeof value === "number" ? numeric(f, tsi, value) : f.createStringLiteral(value)));
  }
  return f.createObjectLiteralExpression(properties, false);
}

function constStatement(tsi: typeof ts, f: ts.NodeFactory, name: ts.BindingName, value: ts.Expression): ts.Statement {
  return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, value)], tsi.NodeFlags.Const));
}
