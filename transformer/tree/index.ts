import type * as ts from "typescript";
import type { Decision } from "../source/decide";
import type { TypeScriptApi } from "../source/parser";
import { createTreeFile, type TreeFile } from "./context";
import { emitRewrittenImport, isRewrittenImport, withModuleHeader } from "./imports";
import { emitAnnotatedMember, isAnnotatedMember } from "./members";
import { emitLocatedAssertion, emitRemovedStatement, isLocatedAssertion, isRemovedStatement } from "./timers";
import { emitInstrumentedLiteral, emitWrapper, isInstrumentedLiteral, isRemovedWrapper } from "./wrappers";

/** One feature: which nodes it handles, and what it makes of one. */
interface NodeRule<N extends ts.Node> {
  readonly matches: (file: TreeFile, node: ts.Node) => node is N;
  readonly emit: (file: TreeFile, node: N) => ts.VisitResult<ts.Node | undefined>;
}

function rule<N extends ts.Node>(matches: NodeRule<N>["matches"], emit: NodeRule<N>["emit"]): NodeRule<ts.Node> {
  return { matches, emit: emit as NodeRule<ts.Node>["emit"] };
}

/** The first rule that matches a node emits it; nodes no rule wants are copied with their children visited. */
const RULES: readonly NodeRule<ts.Node>[] = [
  rule(isRewrittenImport, emitRewrittenImport),
  rule(isRemovedStatement, emitRemovedStatement),
  rule(isAnnotatedMember, emitAnnotatedMember),
  rule(isRemovedWrapper, emitWrapper),
  rule(isInstrumentedLiteral, emitInstrumentedLiteral),
  rule(isLocatedAssertion, emitLocatedAssertion),
];

function dispatch(file: TreeFile, node: ts.Node): ts.VisitResult<ts.Node | undefined> {
  for (const r of RULES) if (r.matches(file, node)) return r.emit(file, node);
  return file.tsi.visitEachChild(node, file.visit, file.context);
}

/**
 * Applies the source-level core's decisions to a compiler's own tree, with that compiler's factory: what a host
 * needs when it must hand back the nodes it was given (ts-jest: TypeScript's import elision and CommonJS
 * transform ask the checker about them, so a re-parsed file would not do). Needs no checker.
 */
export function emitTree(tsi: TypeScriptApi, context: ts.TransformationContext, decision: Decision): ts.SourceFile {
  const nothing = decision.removals.length === 0 && decision.functions.length === 0 && decision.assertions.length === 0;
  if (nothing) return decision.sourceFile;
  const file = createTreeFile(tsi, context, decision, dispatch);
  const visited = tsi.visitEachChild(decision.sourceFile, file.visit, context);
  return withModuleHeader(file, visited);
}
