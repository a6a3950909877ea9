import type * as ts from "typescript";
import { perfMemberOf } from "../match/runtime-symbol";
import { isLocatableAssertionCall, isUnbracedStatement } from "../match/syntax";
import { timerStatementsOf } from "../match/timer-statements";
import { emptyStatementFor, withAssertionSite } from "../tree/nodes";
import type { CheckedFile, ProgramContext } from "./context";
import { referencesOf, within } from "./references";

/** Strip mode: a timer statement that goes (see findRemovableTimerStatements). */
export function isRemovableStatement(file: CheckedFile, node: ts.Node): boolean {
  return file.removableStatements.has(node);
}

/**
 * The unbraced body of if/else/for/while/do/a label must stay a statement: `if (flag) ;`, as the source written
 * without the timer would read (returning nothing there is a compiler Debug Failure).
 */
export function emitRemovedStatement(file: CheckedFile, node: ts.Node): ts.Node | undefined {
  file.removed.push(node);
  return isUnbracedStatement(file.tsi, node) ? emptyStatementFor(file.tsi, file.factory, node) : undefined;
}

/** Instrument mode: `perf.assertLatency(timer, options)` written with its two arguments, no spread. */
export function isLocatableAssertion(file: CheckedFile, node: ts.Node): node is ts.CallExpression {
  return file.pc.mode === "instrument" && isLocatableAssertionCall(file.tsi, node, (e) => file.memberOf(e));
}

/**
 * `perf.assertLatency(timer, options)` gets where it is written as three more literal arguments (file, line,
 * column): a violation then names the TypeScript source, not the compiled JavaScript the stack would show.
 */
export function emitLocatedAssertion(file: CheckedFile, call: ts.CallExpression): ts.Node {
  const visited = file.tsi.visitEachChild(call, file.visit, file.context);
  const { line, character } = file.sourceFile.getLineAndCharacterOfPosition(call.getStart(file.sourceFile));
  return withAssertionSite(file.factory, visited, file.file, line + 1, character + 1);
}

/**
 * Strip mode: `perf.assertLatency(...)` and `perf.startTimer(...)` statements, and `const t = perf.startTimer()`
 * when `t` is used only by statements that are themselves removed. A timer used for anything else stays, with
 * its import, rather than leave a dangling reference.
 */
export function findRemovableTimerStatements(pc: ProgramContext, sourceFile: ts.SourceFile): Set<ts.Node> {
  const { tsi, checker } = pc;
  const { statements, candidates } = timerStatementsOf(tsi, sourceFile, (expression) => perfMemberOf(tsi, checker, pc.isRuntimeFile, expression));
  const result = new Set<ts.Node>(statements);
  const isRemoved = within(result);
  for (const { statement, name } of candidates) {
    const symbol = checker.getSymbolAtLocation(name);
    const usedElsewhere = symbol !== undefined && referencesOf(tsi, checker, sourceFile, name.text, symbol).some((ref) => ref !== name && !isRemoved(ref));
    if (!usedElsewhere) result.add(statement);
  }
  return result;
}
