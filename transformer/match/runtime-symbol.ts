import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";

export type PerfMember = "latency" | "memory" | "startTimer" | "assertLatency";
const MEMBERS: ReadonlySet<string> = new Set<PerfMember>(["latency", "memory", "startTimer", "assertLatency"]);

/** This package's root: dist/transformer/match/ → three levels up. */
const PACKAGE_ROOT = realpath(path.resolve(__dirname, "..", "..", ".."));

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Is this file the declaration of our runtime's `perf`? Matched by location, not by name, so that an unrelated
 * object that happens to be called `perf` is left alone. Accepts this package (its built .d.ts or, when the
 * package compiles itself, its sources) and any installed copy of @choragen/perf.
 */
export function createRuntimeFileTest(): (fileName: string) => boolean {
  const cache = new Map<string, boolean>();
  const ours = [path.join(PACKAGE_ROOT, "dist", "runtime") + path.sep, path.join(PACKAGE_ROOT, "runtime") + path.sep];
  return (fileName) => {
    let hit = cache.get(fileName);
    if (hit === undefined) {
      const real = realpath(fileName);
      const posix = real.split(path.sep).join("/");
      hit = ours.some((dir) => real.startsWith(dir)) || /\/@choragen\/perf\/dist\/runtime\/[^/]+$/.test(posix);
      cache.set(fileName, hit);
    }
    return hit;
  };
}

/**
 * `X.latency` / `X.memory` / `X.startTimer` / `X.assertLatency` where the property resolves, through the type
 * checker, to our runtime's declaration. Works through aliased and namespace imports and re-exports.
 */
export function perfMemberOf(
  tsi: typeof ts,
  checker: ts.TypeChecker,
  isRuntimeFile: (fileName: string) => boolean,
  expression: ts.Expression,
): PerfMember | undefined {
  if (!tsi.isPropertyAccessExpression(expression)) return undefined;
  const name = expression.name.text;
  if (!MEMBERS.has(name)) return undefined;
  const symbol = checker.getSymbolAtLocation(expression.name);
  const declarations = symbol?.declarations;
  if (!declarations || declarations.length === 0) return undefined;
  return declarations.some((d) => isRuntimeFile(d.getSourceFile().fileName)) ? (name as PerfMember) : undefined;
}

/** The import declarations of the runtime module in a file (by resolved file, so path aliases count too). */
export function isRuntimeImport(
  tsi: typeof ts,
  checker: ts.TypeChecker,
  isRuntimeFile: (fileName: string) => boolean,
  statement: ts.Statement,
): statement is ts.ImportDeclaration {
  if (!tsi.isImportDeclaration(statement)) return false;
  const moduleSymbol = checker.getSymbolAtLocation(statement.moduleSpecifier);
  const declaration = moduleSymbol?.valueDeclaration ?? moduleSymbol?.declarations?.[0];
  return declaration !== undefined && tsi.isSourceFile(declaration) && isRuntimeFile(declaration.fileName);
}
