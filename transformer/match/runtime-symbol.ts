import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";

import { memberAccessOf, type PerfMember } from "./syntax";

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
 * `X.latency` / `X.memory` / `X.startTimer` / `X.assertLatency` (or `X["latency"]`) where the property resolves,
 * through the type checker, to our runtime's declaration. Works through aliased and namespace imports and
 * re-exports; parentheses around the callee are looked through as the source core does (see ./syntax).
 */
export function perfMemberOf(
  tsi: typeof ts,
  checker: ts.TypeChecker,
  isRuntimeFile: (fileName: string) => boolean,
  expression: ts.Expression,
): PerfMember | undefined {
  const access = memberAccessOf(tsi, expression);
  if (access === undefined) return undefined;
  const declarations = checker.getSymbolAtLocation(access.nameNode)?.declarations;
  if (!declarations || declarations.length === 0) return undefined;
  return declarations.some((d) => isRuntimeFile(d.getSourceFile().fileName)) ? access.member : undefined;
}

/**
 * The annotation an expression's type says it is, however it was reached (`const lat = perf.latency`,
 * `const { latency } = perf`): our LatencyAnnotation / MemoryAnnotation, or our PerfDecorator.
 */
export function runtimeTypeOf(
  tsi: typeof ts,
  checker: ts.TypeChecker,
  isRuntimeFile: (fileName: string) => boolean,
  expression: ts.Expression,
): "latency" | "memory" | "decorator" | undefined {
  const type = checker.getTypeAtLocation(expression);
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration || !isRuntimeFile(declaration.getSourceFile().fileName)) return undefined;
  switch (symbol.name) {
    case "LatencyAnnotation":
      return "latency";
    case "MemoryAnnotation":
      return "memory";
    case "PerfDecorator":
      return "decorator";
    default:
      return undefined;
  }
}

/** Does this import binding (default, namespace or named) stand for something declared by our runtime? */
export function isRuntimeBinding(
  tsi: typeof ts,
  checker: ts.TypeChecker,
  isRuntimeFile: (fileName: string) => boolean,
  binding: ts.Identifier,
): boolean {
  const local = checker.getSymbolAtLocation(binding);
  if (!local) return false;
  const target = local.flags & tsi.SymbolFlags.Alias ? checker.getAliasedSymbol(local) : local;
  return (target.declarations ?? []).some((d) => isRuntimeFile(d.getSourceFile().fileName));
}
