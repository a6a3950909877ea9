import type * as ts from "typescript";
import { wrappedFunctionLiteral } from "../match/misuse";
import { wrapperTarget } from "../match/naming";
import { readBudgetLiteral, type ContractKindName } from "../match/options";
import { isTwoArgumentCall } from "../match/syntax";
import { updateFunctionBody } from "../tree/nodes";
import type { CheckedFile } from "./context";
import { instrument } from "./probes";

/** `perf.latency(options, fn)` / `perf.memory(options, fn)`, our runtime's by the checker (not as a decorator). */
export function isWrapperCall(file: CheckedFile, node: ts.Node): node is ts.CallExpression {
  if (!isTwoArgumentCall(file.tsi, node)) return false;
  const member = file.memberOf(node.expression);
  return member === "latency" || member === "memory";
}

/** Inlined into fn when fn is written right there, else left to the runtime (instrument) or unwrapped (strip). */
export function emitWrapper(file: CheckedFile, call: ts.CallExpression): ts.Node {
  const { tsi, pc } = file;
  const kind = file.memberOf(call.expression) as ContractKindName;
  const [options, fnArgument] = call.arguments as unknown as [ts.Expression, ts.Expression];
  const literal = wrappedFunctionLiteral(tsi, kind, fnArgument);
  const written = readBudgetLiteral(tsi, kind, options);
  if (!literal) {
    if (pc.mode === "instrument") return tsi.visitEachChild(call, file.visit, file.context);
    file.removed.push(call.expression, options);
    return tsi.visitNode(fnArgument, file.visit, tsi.isExpression)!;
  }
  const target = wrapperTarget(tsi, file.sourceFile, file.file, call, literal, written.name);
  file.removed.push(call.expression, options);
  const visited = tsi.visitEachChild(literal, file.visit, file.context);
  if (pc.mode === "strip") return visited;
  const body = instrument(file, literal, visited.body, target, [{ kind, budget: written, at: call }]);
  return updateFunctionBody(tsi, file.factory, visited, body);
}
