import type * as ts from "typescript";
import { PerfDiagnostic, TransformerError } from "../errors";
import { boundName, lineOf } from "../match/naming";
import type { ContractKindName } from "../match/options";
import { readBudgetLiteral } from "../match/options";
import { updateFunctionBody } from "../tree/nodes";
import { skipParentheses, type CheckedFile } from "./context";
import { instrument } from "./probes";

/** `perf.latency(options, fn)` / `perf.memory(options, fn)`, our runtime's by the checker (not as a decorator). */
export function isWrapperCall(file: CheckedFile, node: ts.Node): node is ts.CallExpression {
  if (!isTwoArgumentCall(file, node)) return false;
  const member = file.memberOf(node.expression);
  return member === "latency" || member === "memory";
}

/** A call of two arguments that is not a decorator's: where wrappers and `assertLatency(timer, options)` are. */
export function isTwoArgumentCall(file: CheckedFile, node: ts.Node): node is ts.CallExpression {
  return file.tsi.isCallExpression(node) && node.arguments.length === 2 && !file.tsi.isDecorator(node.parent);
}

/** Inlined into fn when fn is written right there, else left to the runtime (instrument) or unwrapped (strip). */
export function emitWrapper(file: CheckedFile, call: ts.CallExpression): ts.Node {
  const { tsi, pc } = file;
  const kind = file.memberOf(call.expression) as ContractKindName;
  const [options, fnArgument] = call.arguments as unknown as [ts.Expression, ts.Expression];
  const fn = skipParentheses(tsi, fnArgument);
  const literal = tsi.isArrowFunction(fn) || tsi.isFunctionExpression(fn) ? fn : undefined;
  if (literal && tsi.isFunctionExpression(literal) && literal.asteriskToken) {
    throw new TransformerError(literal, PerfDiagnostic.Generator, `perf.${kind} cannot wrap a generator function: its body runs piecemeal across next() calls, so there is no single call to measure.`);
  }
  const written = readBudgetLiteral(tsi, kind, options);
  if (!literal) {
    if (pc.mode === "instrument") return tsi.visitEachChild(call, file.visit, file.context);
    file.removed.push(call.expression, options);
    return tsi.visitNode(fnArgument, file.visit, tsi.isExpression)!;
  }
  const target = written.name ?? boundName(tsi, call) ?? literal.name?.text ?? `(anonymous ${file.file}:${lineOf(file.sourceFile, call)})`;
  file.removed.push(call.expression, options);
  const visited = tsi.visitEachChild(literal, file.visit, file.context);
  if (pc.mode === "strip") return visited;
  const body = instrument(file, literal, visited.body, [{ kind, budget: written, target, at: call }]);
  return updateFunctionBody(tsi, file.factory, visited, body);
}
