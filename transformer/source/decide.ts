import type * as ts from "typescript";
import { PerfDiagnostic, TransformerError } from "../errors";
import { contractFactsOf, type ContractPlan } from "../match/contract-facts";
import { annotationOf, checkAnnotatedMember, wrappedFunctionLiteral, type Annotation } from "../match/misuse";
import { memberTarget, wrapperTarget } from "../match/naming";
import { readBudgetLiteral, writtenOrDefaultBudget, type WrittenBudget } from "../match/options";
import { isLocatableAssertionCall, isTwoArgumentCall, isUnbracedStatement, skipParentheses } from "../match/syntax";
import { timerStatementsOf } from "../match/timer-statements";
import type { InstrumentableFunction } from "../tree/nodes";
import { RUNTIME_MODULE, RuntimeBindings, valueReferences, type RuntimeBinding } from "./bindings";
import type { ContractKindName, SourceContractFacts, SourceDiagnostic } from "./facts";
import type { TypeScriptApi } from "./parser";

/** What a file's decisions depend on besides its text. */
export interface DecideContext {
  readonly tsi: TypeScriptApi;
  readonly mode: "instrument" | "strip";
  /** The file as contracts name it: relative to the project root, forward slashes. */
  readonly file: string;
  /** The budget of an annotation written without options (config default or override). */
  readonly defaultBudget: (kind: ContractKindName, file: string, target: string) => WrittenBudget;
  /** A budget in what the probe measures (ms, bytes): the runtime's own conversion. */
  readonly toMeasured: (kind: ContractKindName, max: number, unit: string) => number;
  /**
   * Does the file compile under `experimentalDecorators`? Asked only for an annotation where those reject a
   * decorator (a #private member, a class expression, both halves of a get/set pair), so most files never ask.
   */
  readonly experimentalDecorators: (fileName: string) => boolean;
}

export interface ProbeSpec {
  readonly kind: ContractKindName;
  /** The module-level constant holding the registered contract. */
  readonly contract: string;
  readonly limit: number;
  readonly percentile: boolean;
}

/** A function whose body gets probes (instrument mode). */
export interface FunctionSite {
  readonly fn: InstrumentableFunction;
  readonly body: ts.ConciseBody;
  readonly isAsync: boolean;
  /** A setter's return value is ignored: nothing to settle. */
  readonly routesReturns: boolean;
  /** In the order written (outermost annotation first). */
  readonly probes: readonly ProbeSpec[];
}

/** Text to delete, or to replace (an unbraced statement becomes `;`). */
export interface Removal {
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
  /**
   * What is removed, for emitters that edit the tree instead of the text (the ts-jest host): a decorator, a timer
   * statement, an import declaration or specifier, or the wrapper call whose function argument stays.
   */
  readonly node?: ts.Node;
}

/** Text written where nothing is removed, ordered with the probes' own insertions (parentheses, mostly). */
export interface TextInsertion {
  readonly at: number;
  readonly text: string;
  /** Opens (`(`) or closes (`)`) something around a node: see emit.ts for the ordering. */
  readonly opening: boolean;
  readonly node: ts.Node;
}

export interface Decision {
  readonly sourceFile: ts.SourceFile;
  readonly file: string;
  /** Prefix of every name the emitted code introduces; absent from the file's text. */
  readonly prefix: string;
  readonly contracts: readonly { readonly name: string; readonly facts: SourceContractFacts }[];
  readonly functions: readonly FunctionSite[];
  readonly removals: readonly Removal[];
  readonly insertions: readonly TextInsertion[];
  /** `perf.assertLatency(...)` calls that get their TypeScript place appended (instrument mode). */
  readonly assertions: readonly { readonly call: ts.CallExpression; readonly line: number; readonly column: number }[];
  readonly diagnostics: readonly SourceDiagnostic[];
  readonly usesHeap: boolean;
}

/**
 * Finds the annotations of one parsed file and decides everything about them without a type checker: which
 * decorators and calls are ours (through the file's imports), the facts of each contract, what is removed, and
 * the misuses. The emitter only follows these decisions.
 */
export function decide(ctx: DecideContext, sourceFile: ts.SourceFile): Decision {
  const { tsi, mode, file } = ctx;
  const bindings = new RuntimeBindings(tsi, sourceFile);
  const text = sourceFile.text;
  const prefix = uniquePrefix(text);
  const contracts: { name: string; facts: SourceContractFacts }[] = [];
  const functions: FunctionSite[] = [];
  const removals: Removal[] = [];
  const insertions: TextInsertion[] = [];
  const assertions: { call: ts.CallExpression; line: number; column: number }[] = [];
  const diagnostics: SourceDiagnostic[] = [];
  let usesHeap = false;

  // A module that re-exports the runtime: annotations written through it elsewhere are out of this file's
  // sight (the core reads one file at a time), so they stay runtime decorators and are not stripped. Say so.
  for (const statement of sourceFile.statements) {
    if (tsi.isExportDeclaration(statement) && statement.moduleSpecifier && tsi.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === RUNTIME_MODULE && !statement.isTypeOnly) {
      const start = statement.getStart(sourceFile);
      const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
      diagnostics.push({
        severity: "warning",
        code: PerfDiagnostic.Indirect,
        message: `This module re-exports "${RUNTIME_MODULE}": annotations reached through it in other files are not seen by the build plugin, so they run as runtime decorators and are not stripped in production. Import perf from "${RUNTIME_MODULE}" where you annotate.`,
        file,
        line: line + 1,
        column: character + 1,
        start,
        length: statement.getEnd() - start,
      });
    }
  }
  const empty = (): Decision => ({ sourceFile, file, prefix, contracts, functions, removals, insertions, assertions, diagnostics, usesHeap });
  if (!bindings.any) return empty();

  const report = (error: unknown): void => {
    if (!(error instanceof TransformerError)) throw error;
    const start = error.node.getStart(sourceFile);
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
    diagnostics.push({ severity: "error", code: error.code, message: error.message, file, line: line + 1, column: character + 1, start, length: error.node.getEnd() - start });
  };

  const remove = (node: ts.Node, replacement = ""): void => {
    removals.push({ start: node.getStart(sourceFile), end: node.getEnd(), replacement, node });
  };

  const ordinals = new Map<string, number>();
  const scope = { file, sourceFile, ordinals, toMeasured: ctx.toMeasured };
  /** Module-level contracts for one function's annotations (in the order written), as its probes name them. */
  const register = (target: string, plans: readonly ContractPlan[]): ProbeSpec[] =>
    contractFactsOf(scope, target, plans).map((facts) => {
      const name = `${prefix}c${contracts.length}`;
      contracts.push({ name, facts });
      if (facts.kind === "memory") usesHeap = true;
      return { kind: facts.kind, contract: name, limit: facts.limit, percentile: facts.percentile !== undefined };
    });

  const annotationsOf = (node: ts.HasDecorators): Annotation[] => {
    const found: Annotation[] = [];
    for (const decorator of tsi.getDecorators(node) ?? []) {
      const expression = skipParentheses(tsi, decorator.expression);
      const member = bindings.memberOf(tsi.isCallExpression(expression) ? expression.expression : expression);
      if (member === "latency" || member === "memory") found.push(annotationOf(tsi, decorator, expression, member));
    }
    return found;
  };

  const budgetOf = (kind: ContractKindName, options: ts.Expression | undefined, target: string): WrittenBudget =>
    writtenOrDefaultBudget(tsi, kind, options, () => ctx.defaultBudget(kind, file, target));

  const isAsync = (fn: InstrumentableFunction): boolean => (tsi.getCombinedModifierFlags(fn) & tsi.ModifierFlags.Async) !== 0;

  const visitDecorated = (node: ts.HasDecorators): void => {
    const annotations = annotationsOf(node);
    if (annotations.length === 0) return;
    checkAnnotatedMember(tsi, node, annotations[0]!, () => ctx.experimentalDecorators(sourceFile.fileName));
    const target = memberTarget(tsi, sourceFile, node);
    const budgets = annotations.map((a) => ({ kind: a.kind, budget: budgetOf(a.kind, a.options, target), at: a.decorator }));
    for (const a of annotations) remove(a.decorator);
    if (mode === "instrument") {
      const probes = register(target, budgets);
      functions.push({ fn: node, body: node.body, isAsync: isAsync(node), routesReturns: !tsi.isSetAccessorDeclaration(node), probes });
    }
  };

  /** `perf.latency(options, fn)`: inlined into fn when fn is written right there, else left to the runtime. */
  const visitWrapper = (call: ts.CallExpression, kind: ContractKindName): void => {
    const [options, fnArgument] = call.arguments as unknown as [ts.Expression, ts.Expression];
    const literal = wrappedFunctionLiteral(tsi, kind, fnArgument);
    const written = readBudgetLiteral(tsi, kind, options);
    if (!literal && mode === "instrument") return;
    // The call goes, the function stays: `perf.latency({...}, ` before it and `)` (with a trailing comma) after.
    removals.push({ start: call.getStart(sourceFile), end: fnArgument.getStart(sourceFile), replacement: "", node: call });
    removals.push({ start: fnArgument.getEnd(), end: call.getEnd(), replacement: "", node: call });
    if (needsParentheses(tsi, call, fnArgument)) {
      insertions.push({ at: fnArgument.getStart(sourceFile), text: "(", opening: true, node: call });
      insertions.push({ at: fnArgument.getEnd(), text: ")", opening: false, node: call });
    }
    if (!literal || mode === "strip") return;
    const target = wrapperTarget(tsi, sourceFile, file, call, literal, written.name);
    const probes = register(target, [{ kind, budget: written, at: call }]);
    functions.push({ fn: literal, body: literal.body, isAsync: isAsync(literal), routesReturns: true, probes });
  };

  const timerStatements = mode === "strip" ? findRemovableTimerStatements(tsi, sourceFile, bindings) : [];
  const removedStatements = new Set<ts.Node>(timerStatements);
  for (const statement of timerStatements) remove(statement, isUnbracedStatement(tsi, statement) ? ";" : "");

  const visit = (node: ts.Node): void => {
    if (removedStatements.has(node)) return;
    try {
      if (tsi.canHaveDecorators(node) && tsi.getDecorators(node)?.length) visitDecorated(node);
      else if (isTwoArgumentCall(tsi, node)) {
        const member = bindings.memberOf(node.expression);
        if (member === "latency" || member === "memory") visitWrapper(node, member);
      }
      if (mode === "instrument" && isLocatableAssertionCall(tsi, node, (e) => bindings.memberOf(e))) {
        const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
        assertions.push({ call: node, line: line + 1, column: character + 1 });
      }
    } catch (error) {
      report(error);
    }
    tsi.forEachChild(node, visit);
  };
  tsi.forEachChild(sourceFile, visit);

  if (removals.length > 0) removals.push(...unusedRuntimeImports(tsi, sourceFile, bindings, removals));
  return { sourceFile, file, prefix, contracts, functions, removals, insertions, assertions, diagnostics, usesHeap };
}

/**
 * Where the call stood, can its function argument stand alone? A call binds tighter than anything, an arrow
 * function looser than almost anything: `perf.latency(o, (x) => x) as F` must become `((x) => x) as F`. Where
 * the argument stands alone already (an initializer, an argument, a return value…) no parentheses are added, so
 * the stripped text is what the user would have written.
 */
function needsParentheses(tsi: TypeScriptApi, call: ts.CallExpression, argument: ts.Expression): boolean {
  const parent = call.parent;
  const alone =
    (tsi.isVariableDeclaration(parent) && parent.initializer === call) ||
    (tsi.isPropertyAssignment(parent) && parent.initializer === call) ||
    (tsi.isPropertyDeclaration(parent) && parent.initializer === call) ||
    ((tsi.isCallExpression(parent) || tsi.isNewExpression(parent)) && parent.arguments?.includes(call) === true) ||
    tsi.isArrayLiteralExpression(parent) ||
    tsi.isParenthesizedExpression(parent) ||
    tsi.isReturnStatement(parent) ||
    tsi.isSpreadElement(parent) ||
    (tsi.isArrowFunction(parent) && parent.body === call) ||
    (tsi.isBinaryExpression(parent) && parent.right === call && parent.operatorToken.kind === tsi.SyntaxKind.EqualsToken) ||
    (tsi.isConditionalExpression(parent) && parent.condition !== call) ||
    tsi.isExportAssignment(parent);
  if (alone) return tsi.isExportAssignment(parent) && tsi.isFunctionExpression(skipParentheses(tsi, argument));
  const inner = skipParentheses(tsi, argument);
  const primary = argument !== inner || tsi.isIdentifier(argument) || tsi.isPropertyAccessExpression(argument) || tsi.isElementAccessExpression(argument) || (tsi.isCallExpression(argument) && !tsi.isFunctionExpression(parent));
  return !primary;
}

/** `__perf_`, or `__perf1_`, `__perf2_`… when the file already says `__perf_` somewhere. */
function uniquePrefix(text: string): string {
  if (!text.includes("__perf_")) return "__perf_";
  for (let n = 1; ; n++) if (!text.includes(`__perf${n}_`)) return `__perf${n}_`;
}

function within(node: ts.Node, sourceFile: ts.SourceFile, ranges: readonly Removal[]): boolean {
  const start = node.getStart(sourceFile);
  return ranges.some((r) => start >= r.start && node.getEnd() <= r.end);
}

/**
 * Strip mode: `perf.startTimer(...)` / `perf.assertLatency(...)` statements, and `const t = perf.startTimer()`
 * when every other use of `t` is in a removed statement. Without a checker, any other identifier spelt `t`
 * counts as a use: a timer that might be used elsewhere stays, with its import, rather than dangle.
 */
function findRemovableTimerStatements(tsi: TypeScriptApi, sourceFile: ts.SourceFile, bindings: RuntimeBindings): ts.Statement[] {
  const { statements, candidates } = timerStatementsOf(tsi, sourceFile, (expression) => bindings.memberOf(expression));
  const result: ts.Statement[] = [...statements];
  const ranges = result.map((s) => ({ start: s.getStart(sourceFile), end: s.getEnd(), replacement: "" }));
  for (const { statement, name } of candidates) {
    const others = valueReferences(tsi, sourceFile, name.text).filter((ref) => ref !== name && !within(ref, sourceFile, ranges));
    if (others.length === 0) result.push(statement);
  }
  return result;
}

/**
 * The runtime import bindings nothing uses once the annotations are gone, as removals: the specifier, or the
 * whole declaration when none of it is left (as TypeScript would elide it from the source without them).
 */
function unusedRuntimeImports(tsi: TypeScriptApi, sourceFile: ts.SourceFile, bindings: RuntimeBindings, removals: readonly Removal[]): Removal[] {
  const isUnusedBinding = (b: RuntimeBinding): boolean => {
    if (b.stands === "other") return false;
    // Usually every mention of the name is in what was removed: a text scan says so without walking the tree.
    if (!mentionedOutside(sourceFile.text, b.local.text, [...removals, { start: b.declaration.getStart(sourceFile), end: b.declaration.getEnd(), replacement: "" }])) return true;
    return valueReferences(tsi, sourceFile, b.local.text).every((ref) => ref === b.local || within(ref, sourceFile, removals));
  };
  const unused = new Set(bindings.bindings.filter(isUnusedBinding));
  const result: Removal[] = [];
  const declarations = new Set(bindings.bindings.map((b) => b.declaration));
  for (const declaration of declarations) {
    const clause = declaration.importClause!;
    const named = clause.namedBindings;
    const locals: ts.Identifier[] = [];
    if (clause.name) locals.push(clause.name);
    if (named && tsi.isNamespaceImport(named)) locals.push(named.name);
    const specifiers = named && tsi.isNamedImports(named) ? named.elements : undefined;
    const isUnused = (id: ts.Identifier): boolean => [...unused].some((b) => b.local === id);
    const keptSpecifiers = specifiers?.filter((s) => !s.isTypeOnly && !isUnused(s.name)) ?? [];
    const typeOnly = specifiers?.filter((s) => s.isTypeOnly) ?? [];
    const keptLocals = locals.filter((l) => !isUnused(l));
    if (keptLocals.length === 0 && keptSpecifiers.length === 0 && typeOnly.length === 0) {
      result.push({ start: declaration.getStart(sourceFile), end: declaration.getEnd(), replacement: "", node: declaration });
      continue;
    }
    if (specifiers) {
      specifiers.forEach((s, i) => {
        if (s.isTypeOnly || !isUnused(s.name)) return;
        // The specifier and its comma: the next one's start, or (the last) from the previous one's end.
        const next = specifiers[i + 1];
        if (next) result.push({ start: s.getStart(sourceFile), end: next.getStart(sourceFile), replacement: "", node: s });
        else if (i > 0) result.push({ start: specifiers[i - 1]!.getEnd(), end: s.getEnd(), replacement: "", node: s });
        else result.push({ start: s.getStart(sourceFile), end: s.getEnd(), replacement: "", node: s });
      });
    }
  }
  return result;
}

/** Is `name` written, as a whole word, anywhere outside these ranges (comments and strings count: conservative)? */
function mentionedOutside(text: string, name: string, ranges: readonly Removal[]): boolean {
  const word = new RegExp(`(?<![\\w$])${name.replace(/[$]/g, "\\$")}(?![\\w$])`, "g");
  for (let match = word.exec(text); match !== null; match = word.exec(text)) {
    const at = match.index;
    if (!ranges.some((r) => at >= r.start && at < r.end)) return true;
  }
  return false;
}
