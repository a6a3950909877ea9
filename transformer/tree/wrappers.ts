import type * as ts from "typescript";
import type { TreeFile } from "./context";
import { updateFunctionBody } from "./nodes";
import { instrumentSite } from "./probes";

/** `perf.latency(options, fn)` the core removes: the call goes, its function stays (with probes when written there). */
export function isRemovedWrapper(file: TreeFile, node: ts.Node): node is ts.CallExpression {
  return file.tsi.isCallExpression(node) && file.removed.has(node);
}

export function emitWrapper(file: TreeFile, call: ts.CallExpression): ts.Node {
  const { tsi, factory: f } = file;
  const fn = tsi.visitNode(call.arguments[1]!, file.visit, tsi.isExpression)!;
  return file.parenthesized.has(call) ? f.createParenthesizedExpression(fn) : fn;
}

/** `(x) => ...` or `function () {...}` that the core instruments (a wrapper's argument). */
export function isInstrumentedLiteral(file: TreeFile, node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return (file.tsi.isArrowFunction(node) || file.tsi.isFunctionExpression(node)) && file.sites.has(node);
}

export function emitInstrumentedLiteral(file: TreeFile, node: ts.ArrowFunction | ts.FunctionExpression): ts.Node {
  const { tsi, factory: f } = file;
  const visited = tsi.visitEachChild(node, file.visit, file.context);
  const body = instrumentSite(file, file.sites.get(node)!, visited.body);
  return updateFunctionBody(tsi, f, visited, body);
}
