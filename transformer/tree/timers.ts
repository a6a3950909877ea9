import type * as ts from "typescript";
import type { TreeFile } from "./context";
import { emptyStatementFor, withAssertionSite } from "./nodes";

/** Strip mode: a `perf.startTimer` / `perf.assertLatency` statement the core removes. */
export function isRemovedStatement(file: TreeFile, node: ts.Node): node is ts.Statement {
  return file.tsi.isStatement(node) && !file.tsi.isImportDeclaration(node) && file.removed.has(node);
}

/** Gone, or `;` where it was the unbraced body of an `if`/loop/label (the core's replacement says which). */
export function emitRemovedStatement(file: TreeFile, node: ts.Statement): ts.Node | undefined {
  if (file.removed.get(node)!.replacement === "") return undefined;
  return emptyStatementFor(file.tsi, file.factory, node);
}

/** Instrument mode: `perf.assertLatency(timer, options)`, which gets where it is written in the TypeScript source. */
export function isLocatedAssertion(file: TreeFile, node: ts.Node): node is ts.CallExpression {
  return file.tsi.isCallExpression(node) && file.assertions.has(node);
}

export function emitLocatedAssertion(file: TreeFile, call: ts.CallExpression): ts.Node {
  const { tsi, factory: f } = file;
  const { line, column } = file.assertions.get(call)!;
  const visited = tsi.visitEachChild(call, file.visit, file.context);
  return withAssertionSite(f, visited, file.decision.file, line, column);
}
