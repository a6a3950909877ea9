import type * as ts from "typescript";
import { TransformerError, toDiagnostic } from "./errors";
import { createCheckedFile, type CheckedFile, type ProgramContext } from "./checked/context";
import { dropUnusedImports } from "./checked/imports";
import { emitDecorated, isDecorated } from "./checked/members";
import { emitLocatedAssertion, emitRemovedStatement, findRemovableTimerStatements, isLocatableAssertion, isRemovableStatement } from "./checked/timers";
import { emitWrapper, isWrapperCall } from "./checked/wrappers";
import { moduleStatements } from "./programmers/module";
import { withHeader } from "./tree/nodes";

export type { ProgramContext } from "./checked/context";

/** One feature of the ts-patch host: which nodes it handles, and what it makes of one. */
interface NodeRule {
  readonly matches: (file: CheckedFile, node: ts.Node) => boolean;
  readonly emit: (file: CheckedFile, node: never) => ts.VisitResult<ts.Node | undefined>;
}

/**
 * The first rule that matches emits the node; nodes no rule wants are copied with their children visited. The order
 * is the order of precedence: a removed timer statement is gone whatever it holds; decorators are looked at on every
 * node that has any (so misuse anywhere is said); then wrapper calls and `assertLatency` calls.
 */
const RULES: readonly NodeRule[] = [
  { matches: isRemovableStatement, emit: emitRemovedStatement },
  { matches: isDecorated, emit: emitDecorated },
  { matches: isWrapperCall, emit: emitWrapper },
  { matches: isLocatableAssertion, emit: emitLocatedAssertion },
];

/**
 * Matching (is this our annotation? is it used right?) throws TransformerError; this is the one place that turns
 * those into diagnostics, leaving the offending node as written.
 */
function dispatch(file: CheckedFile, node: ts.Node): ts.VisitResult<ts.Node | undefined> {
  try {
    for (const rule of RULES) if (rule.matches(file, node)) return (rule.emit as (file: CheckedFile, node: ts.Node) => ts.VisitResult<ts.Node | undefined>)(file, node);
  } catch (error) {
    if (!(error instanceof TransformerError)) throw error;
    file.pc.addDiagnostic(toDiagnostic(file.tsi, file.sourceFile, error));
  }
  return file.tsi.visitEachChild(node, file.visit, file.context);
}

/**
 * One source file, by the ts-patch host: decided with the type checker as the tree is visited, emitted by the
 * feature modules in ./checked (which share their node edits with the ts-jest host's tree emitter, ./tree).
 */
export function transformSourceFile(pc: ProgramContext, context: ts.TransformationContext, sourceFile: ts.SourceFile): ts.SourceFile {
  // Cheap pre-filter: every way to reach the runtime's `perf` names it somewhere in the file's text.
  if (sourceFile.isDeclarationFile || !sourceFile.text.includes("perf")) return sourceFile;
  const removableStatements = pc.mode === "strip" ? findRemovableTimerStatements(pc, sourceFile) : new Set<ts.Node>();
  const file = createCheckedFile(pc, context, sourceFile, removableStatements, dispatch);
  const f = context.factory;
  let result = pc.tsi.visitEachChild(sourceFile, file.visit, context);
  if (file.removed.length > 0) result = dropUnusedImports(pc, f, sourceFile, result, file.removed);
  if (file.contracts.length > 0) result = withHeader(pc.tsi, f, result, moduleStatements(pc.tsi, f, file.importStyle, file.prefix, file.used, file.contracts));
  return result;
}
