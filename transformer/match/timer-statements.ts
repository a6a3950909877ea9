import type * as ts from "typescript";
import type { PerfMember } from "./syntax";

/** What strip mode may remove of the manual timers, before deciding whether each `t` is used elsewhere. */
export interface TimerStatements {
  /** `perf.startTimer(...);` and `perf.assertLatency(...);` written as statements: they always go. */
  readonly statements: readonly ts.ExpressionStatement[];
  /** `const t = perf.startTimer(...)`: goes only when every other use of `t` goes too, which each host decides. */
  readonly candidates: readonly { readonly statement: ts.VariableStatement; readonly name: ts.Identifier }[];
}

/**
 * One walk over the file for both hosts; `memberOf` says which member of our `perf` a callee is (through the type
 * checker, or through the file's imports). "Is `t` used elsewhere" stays with each host: checker symbols there,
 * same-named value references here (which over-count, so a timer that might be used stays).
 */
export function timerStatementsOf(tsi: typeof ts, sourceFile: ts.SourceFile, memberOf: (expression: ts.Expression) => PerfMember | undefined): TimerStatements {
  const statements: ts.ExpressionStatement[] = [];
  const candidates: { statement: ts.VariableStatement; name: ts.Identifier }[] = [];
  // Most files have no timer: a text test spares them the walk.
  if (!sourceFile.text.includes("startTimer") && !sourceFile.text.includes("assertLatency")) return { statements, candidates };
  const timerCall = (expression: ts.Expression | undefined, members: readonly PerfMember[]): boolean => {
    if (!expression || !tsi.isCallExpression(expression)) return false;
    const member = memberOf(expression.expression);
    return member !== undefined && members.includes(member);
  };
  const walk = (node: ts.Node): void => {
    if (tsi.isExpressionStatement(node) && timerCall(node.expression, ["startTimer", "assertLatency"])) statements.push(node);
    else if (tsi.isVariableStatement(node) && node.declarationList.declarations.length === 1) {
      const declaration = node.declarationList.declarations[0]!;
      if (tsi.isIdentifier(declaration.name) && timerCall(declaration.initializer, ["startTimer"])) candidates.push({ statement: node, name: declaration.name });
    }
    tsi.forEachChild(node, walk);
  };
  walk(sourceFile);
  return { statements, candidates };
}
