import * as path from "node:path";
import type * as ts from "typescript";
import { PerfDiagnostic, TransformerError, toDiagnostic } from "./errors";
import type { TransformMode } from "./mode";
import type { OnViolation } from "../runtime/types";
import { boundName, contractId, lineOf, memberTarget } from "./match/naming";
import { readBudgetLiteral, type ContractKindName, type WrittenBudget } from "./match/options";
import { metadataReferences } from "./match/decorator-metadata";
import { isRuntimeBinding, perfMemberOf, runtimeTypeOf, type PerfMember } from "./match/runtime-symbol";
import { type ContractFacts, moduleStatements, probeExport, probeImportStyle, type ProbeExport } from "./programmers/module";
import { instrumentBody, type ProbeNames } from "./programmers/probe";

/** What every file of one program shares. */
export interface ProgramContext {
  readonly tsi: typeof ts;
  readonly checker: ts.TypeChecker;
  readonly mode: TransformMode;
  /** Project root: file paths in contracts are relative to it. */
  readonly root: string;
  readonly isRuntimeFile: (fileName: string) => boolean;
  readonly addDiagnostic: (diagnostic: ts.Diagnostic) => void;
  /** The budget for an annotation written without options (config default or override). */
  readonly defaultBudget: (kind: ContractKindName, file: string, target: string) => WrittenBudget;
  readonly onViolation: OnViolation;
  readonly toMeasured: (kind: ContractKindName, max: number, unit: string) => number;
  readonly verbatimModuleSyntax: boolean;
  /** experimentalDecorators + emitDecoratorMetadata: decorated signatures keep the imports they name. */
  readonly decoratorMetadata: boolean;
  readonly experimentalDecorators: boolean;
  readonly strictNullChecks: boolean;
}

interface Annotation {
  readonly kind: ContractKindName;
  readonly decorator: ts.Decorator;
  readonly options: ts.Expression | undefined;
}

type InstrumentableFunction = ts.MethodDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration | ts.FunctionExpression | ts.ArrowFunction;

/**
 * One source file. Matching (is this our annotation? is it used right?) throws TransformerError; this is the
 * one place that turns those into diagnostics, leaving the offending node as written.
 */
export function transformSourceFile(pc: ProgramContext, context: ts.TransformationContext, sourceFile: ts.SourceFile): ts.SourceFile {
  // Cheap pre-filter: every way to reach the runtime's `perf` names it somewhere in the file's text.
  if (sourceFile.isDeclarationFile || !sourceFile.text.includes("perf")) return sourceFile;
  const { tsi, checker } = pc;
  const f = context.factory;
  const file = path.relative(pc.root, sourceFile.fileName).split(path.sep).join("/");
  const removed: ts.Node[] = [];
  const contracts: { name: ts.Identifier; facts: ContractFacts }[] = [];
  const ordinals = new Map<string, number>();
  // Every name the probes add starts with a prefix that appears nowhere in the file's text, so none can meet a name
  // written there, nor one TypeScript generates from them (those derive from the text: \`foo_1\`, \`_a\`). Picked once
  // per file: asking the factory for a unique name per probe variable cost a count-up over all names taken so far
  // (quadratic in the annotations of a file).
  const prefix = freePrefix(sourceFile.text);
  const importStyle = probeImportStyle(tsi, sourceFile, context.getCompilerOptions());
  const used = new Set<ProbeExport>(["contract"]);
  const names: ProbeNames = {
    clock: () => (used.add("clock"), probeExport(f, importStyle, prefix, "clock")),
    heap: () => (used.add("heap"), probeExport(f, importStyle, prefix, "heap")),
    local: (name) => f.createIdentifier(`${prefix}_${name}`),
  };
  const removableStatements = pc.mode === "strip" ? findRemovableTimerStatements(pc, sourceFile) : new Set<ts.Node>();

  const memberOf = (expression: ts.Expression): PerfMember | undefined => perfMemberOf(tsi, checker, pc.isRuntimeFile, expression);

  const report = (error: unknown): void => {
    if (!(error instanceof TransformerError)) throw error;
    pc.addDiagnostic(toDiagnostic(tsi, sourceFile, error));
  };

  const annotationsOf = (node: ts.HasDecorators): Annotation[] => {
    const found: Annotation[] = [];
    for (const decorator of tsi.getDecorators(node) ?? []) {
      const expression = skipParentheses(tsi, decorator.expression);
      const callee = tsi.isCallExpression(expression) ? skipParentheses(tsi, expression.expression) : expression;
      const member = memberOf(callee);
      if (member === "latency" || member === "memory") {
        if (!tsi.isCallExpression(expression)) {
          throw new TransformerError(decorator, PerfDiagnostic.NotCalled, `@perf.${member} must be called: write @perf.${member}() to use the configured default, or @perf.${member}({ max, unit }).`);
        }
        if (expression.arguments.length > 1) {
          throw new TransformerError(expression.arguments[1]!, PerfDiagnostic.NonLiteralOptions, `@perf.${member} takes one options object as a decorator; the two-argument form perf.${member}(options, fn) is for functions.`);
        }
        found.push({ kind: member, decorator, options: expression.arguments[0] });
        continue;
      }
      if (member !== undefined) continue;
      // Reached some other way (an alias, a destructured binding, a decorator kept in a variable): it would stay a
      // runtime decorator in strip mode too, so say how to write it instead of leaving it behind in silence.
      const kind = runtimeTypeOf(tsi, checker, pc.isRuntimeFile, callee);
      if (kind === "latency" || kind === "memory" || runtimeTypeOf(tsi, checker, pc.isRuntimeFile, expression) === "decorator") {
        const name = kind === "memory" ? "memory" : "latency";
        throw new TransformerError(decorator, PerfDiagnostic.Indirect, `Write the annotation in place as @perf.${name}(...) (with perf imported from "@choragen/perf"): one reached through a variable, alias or destructuring cannot be inlined or stripped.`);
      }
    }
    return found;
  };

  const register = (kind: ContractKindName, target: string, at: ts.Node, budget: WrittenBudget): ts.Identifier => {
    const key = `${target}#${kind}`;
    const ordinal = ordinals.get(key) ?? 0;
    ordinals.set(key, ordinal + 1);
    const name = f.createIdentifier(`${prefix}_c_${contracts.length + 1}`);
    const facts: ContractFacts = {
      id: contractId(file, target, kind, ordinal),
      kind,
      target,
      file,
      line: lineOf(sourceFile, at),
      max: budget.max,
      unit: budget.unit,
      limit: pc.toMeasured(kind, budget.max, budget.unit),
      ...(kind === "latency" && budget.percentile !== undefined ? { percentile: budget.percentile } : {}),
      // The runtime's default needs no saying; written, it would only be one more literal per contract.
      ...(pc.onViolation !== "record" ? { onViolation: pc.onViolation } : {}),
      origin: "inline",
    };
    contracts.push({ name, facts });
    return name;
  };

  const budgetOf = (kind: ContractKindName, options: ts.Expression | undefined, target: string): WrittenBudget =>
    options === undefined ? pc.defaultBudget(kind, file, target) : readBudgetLiteral(tsi, kind, options);

  /** Builds the instrumented body for one function and all its annotations, fused into one try/finally. */
  const instrument = (fn: InstrumentableFunction, body: ts.ConciseBody, plans: readonly { kind: ContractKindName; budget: WrittenBudget; target: string; at: ts.Node }[]): ts.Block => {
    const isAsync = (tsi.getCombinedModifierFlags(fn) & tsi.ModifierFlags.Async) !== 0;
    const settlesReturn = isAsync ? mayBeThenable : returnsThenable(fn) ? () => true : undefined;
    // Registered innermost (last written) first, as when each annotation had its own try/finally: contract ids
    // (an ordinal tells two of one kind on one target apart) stay what earlier builds wrote into reports.
    const probeContracts = [...plans].reverse().map((plan) => ({
      kind: plan.kind,
      limit: pc.toMeasured(plan.kind, plan.budget.max, plan.budget.unit),
      percentile: plan.kind === "latency" && plan.budget.percentile !== undefined,
      contract: register(plan.kind, plan.target, plan.at, plan.budget),
    })).reverse();
    const result = instrumentBody(tsi, context, body, { contracts: probeContracts, isAsync, settlesReturn, names });
    return result as ts.Block;
  };

  const isThenableType = (type: ts.Type, at: ts.Node): boolean => {
    const parts = type.isUnion() ? type.types : [type];
    return parts.some((part) => {
      if (part.flags & (tsi.TypeFlags.Any | tsi.TypeFlags.Unknown)) return true;
      const then = part.getProperty("then");
      return then !== undefined && checker.getTypeOfSymbolAtLocation(then, at).getCallSignatures().length > 0;
    });
  };

  const returnsThenable = (fn: InstrumentableFunction): boolean => {
    if (tsi.isSetAccessorDeclaration(fn)) return false;
    const signature = checker.getSignatureFromDeclaration(fn);
    if (!signature) return false;
    const type = checker.getReturnTypeOfSignature(signature);
    const parts = type.isUnion() ? type.types : [type];
    return parts.some((part) => {
      const then = part.getProperty("then");
      return then !== undefined && checker.getTypeOfSymbolAtLocation(then, fn).getCallSignatures().length > 0;
    });
  };

  /**
   * An `async` function's `return x` where x may be a promise (its type has a callable `then`, or is any/unknown):
   * the function adopts it after `finally` ran. `return await x` and plain values are measured by `finally`.
   */
  const mayBeThenable = (expression: ts.Expression): boolean => {
    const original = tsi.getOriginalNode(expression);
    if (original.pos < 0 || !tsi.isExpression(original)) return true;
    return isThenableType(checker.getTypeAtLocation(original), original);
  };

  const visitDecorated = (node: ts.HasDecorators): ts.Node => {
    const annotations = annotationsOf(node);
    if (annotations.length === 0) return tsi.visitEachChild(node, visit, context);
    const first = annotations[0]!;
    if (!tsi.isMethodDeclaration(node) && !tsi.isGetAccessorDeclaration(node) && !tsi.isSetAccessorDeclaration(node)) {
      throw new TransformerError(first.decorator, PerfDiagnostic.NotAMethod, `@perf.${first.kind} can only annotate a method or a get/set accessor, not ${describeNode(tsi, node)}. For a function, wrap it: perf.${first.kind}({ max, unit }, fn).`);
    }
    if (tsi.isMethodDeclaration(node) && node.asteriskToken) {
      throw new TransformerError(first.decorator, PerfDiagnostic.Generator, `@perf.${first.kind} cannot annotate a generator: its body runs piecemeal across next() calls, so there is no single call to measure.`);
    }
    if (!node.body) {
      const why = (tsi.getCombinedModifierFlags(node) & tsi.ModifierFlags.Abstract) !== 0 ? "an abstract member" : "a declaration without a body (an overload signature or declare)";
      throw new TransformerError(first.decorator, PerfDiagnostic.NoBody, `@perf.${first.kind} needs a body to instrument, and this is ${why}. Put it on the implementation.`);
    }
    if (pc.experimentalDecorators) {
      const where = legacyDecoratorLimit(tsi, node);
      if (where) {
        throw new TransformerError(first.decorator, PerfDiagnostic.LegacyDecoratorPosition, `@perf.${first.kind} cannot go ${where} under experimentalDecorators: TypeScript itself rejects decorators there. Use standard decorators (without experimentalDecorators), or annotate a method or function the code is moved into.`);
      }
    }
    const target = memberTarget(tsi, sourceFile, node);
    const plans = annotations.map((a) => ({ kind: a.kind, budget: budgetOf(a.kind, a.options, target), target, at: a.decorator }));
    const visited = tsi.visitEachChild(node, visit, context);
    const ours = new Set<ts.Node>(annotations.map((a) => a.decorator));
    removed.push(...ours);
    const modifiers = visited.modifiers?.filter((m) => !ours.has(tsi.getOriginalNode(m)));
    const body = pc.mode === "instrument" ? instrument(node, visited.body!, plans) : visited.body!;
    if (tsi.isMethodDeclaration(visited)) {
      return f.updateMethodDeclaration(visited, modifiers, visited.asteriskToken, visited.name, visited.questionToken, visited.typeParameters, visited.parameters, visited.type, body);
    }
    if (tsi.isGetAccessorDeclaration(visited)) {
      return f.updateGetAccessorDeclaration(visited, modifiers, visited.name, visited.parameters, visited.type, body);
    }
    const setter = visited as ts.SetAccessorDeclaration;
    return f.updateSetAccessorDeclaration(setter, modifiers, setter.name, setter.parameters, body);
  };

  /** `perf.latency(options, fn)`: inlined into fn when fn is written right there, else left to the runtime. */
  const visitWrapper = (call: ts.CallExpression, kind: ContractKindName): ts.Node => {
    const [options, fnArgument] = call.arguments as unknown as [ts.Expression, ts.Expression];
    const fn = skipParentheses(tsi, fnArgument);
    const literal = tsi.isArrowFunction(fn) || tsi.isFunctionExpression(fn) ? fn : undefined;
    if (literal && tsi.isFunctionExpression(literal) && literal.asteriskToken) {
      throw new TransformerError(literal, PerfDiagnostic.Generator, `perf.${kind} cannot wrap a generator function: its body runs piecemeal across next() calls, so there is no single call to measure.`);
    }
    const written = readBudgetLiteral(tsi, kind, options);
    if (!literal) {
      if (pc.mode === "instrument") return tsi.visitEachChild(call, visit, context);
      removed.push(call.expression, options);
      return tsi.visitNode(fnArgument, visit, tsi.isExpression)!;
    }
    const target = written.name ?? boundName(tsi, call) ?? literal.name?.text ?? `(anonymous ${file}:${lineOf(sourceFile, call)})`;
    removed.push(call.expression, options);
    const visited = tsi.visitEachChild(literal, visit, context);
    if (pc.mode === "strip") return visited;
    const body = instrument(literal, visited.body, [{ kind, budget: written, target, at: call }]);
    if (tsi.isArrowFunction(visited)) {
      return f.updateArrowFunction(visited, visited.modifiers, visited.typeParameters, visited.parameters, visited.type, visited.equalsGreaterThanToken, body);
    }
    return f.updateFunctionExpression(visited, visited.modifiers, visited.asteriskToken, visited.name, visited.typeParameters, visited.parameters, visited.type, body);
  };

  /**
   * `perf.assertLatency(timer, options)` gets where it is written as three more literal arguments (file, line,
   * column): a violation then names the TypeScript source, not the compiled JavaScript the stack would show.
   */
  const locateAssertion = (call: ts.CallExpression): ts.Node => {
    const visited = tsi.visitEachChild(call, visit, context);
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(call.getStart(sourceFile));
    const site = [f.createStringLiteral(file), f.createNumericLiteral(line + 1), f.createNumericLiteral(character + 1)];
    return f.updateCallExpression(visited, visited.expression, visited.typeArguments, [...visited.arguments, ...site]);
  };

  const visit = (node: ts.Node): ts.Node | undefined => {
    try {
      if (removableStatements.has(node)) {
        removed.push(node);
        // The unbraced body of if/else/for/while/do/a label must stay a statement: `if (flag) ;`, as the source
        // written without the timer would read (returning nothing there is a compiler Debug Failure).
        return isInStatementList(tsi, node) ? undefined : tsi.setTextRange(f.createEmptyStatement(), node);
      }
      if (tsi.canHaveDecorators(node) && tsi.getDecorators(node)?.length) return visitDecorated(node);
      if (tsi.isCallExpression(node) && node.arguments.length === 2 && !tsi.isDecorator(node.parent)) {
        const member = memberOf(node.expression);
        if (member === "latency" || member === "memory") return visitWrapper(node, member);
        if (member === "assertLatency" && pc.mode === "instrument" && !node.arguments.some((a) => tsi.isSpreadElement(a))) {
          return locateAssertion(node);
        }
      }
    } catch (error) {
      report(error);
    }
    return tsi.visitEachChild(node, visit, context);
  };

  let result = tsi.visitEachChild(sourceFile, visit, context);
  if (removed.length > 0) result = dropUnusedImports(pc, f, sourceFile, result, removed);
  if (contracts.length > 0) {
    const statements = [...result.statements];
    let at = 0;
    while (at < statements.length && (tsi.isImportDeclaration(statements[at]!) || isPrologueDirective(tsi, statements[at]!))) at++;
    statements.splice(at, 0, ...moduleStatements(tsi, f, importStyle, prefix, used, contracts));
    result = withStatements(tsi, f, result, statements);
  }
  return result;
}

/**
 * The file with other statements, the list keeping the text range of the original one: the emitter writes the
 * comments after the last statement (the end of the file) from that range, and a list without one loses them.
 */
function withStatements(tsi: typeof ts, f: ts.NodeFactory, file: ts.SourceFile, statements: readonly ts.Statement[]): ts.SourceFile {
  return f.updateSourceFile(file, tsi.setTextRange(f.createNodeArray(statements), file.statements));
}

/** Where TypeScript's experimentalDecorators reject a decorator on a method or accessor, said for a message. */
function legacyDecoratorLimit(tsi: typeof ts, node: ts.MethodDeclaration | ts.AccessorDeclaration): string | undefined {
  if (tsi.isPrivateIdentifier(node.name)) return "on a #private method or accessor";
  if (tsi.isClassExpression(node.parent)) return "in a class expression";
  if (tsi.isAccessor(node) && tsi.isClassLike(node.parent)) {
    const name = node.name;
    const earlier = node.parent.members.find((m) => m !== node && m.pos < node.pos && tsi.isAccessor(m) && m.kind !== node.kind && tsi.isIdentifier(m.name) && tsi.isIdentifier(name) && m.name.text === name.text && (tsi.getDecorators(m)?.length ?? 0) > 0);
    if (earlier) return "on both halves of a get/set pair (decorate only the first)";
  }
  return undefined;
}

/** `__perf`, else `__perf1`, `__perf2`, ...: the first that the text does not contain anywhere. */
function freePrefix(text: string): string {
  let prefix = "__perf";
  for (let i = 1; text.includes(prefix); i++) prefix = `__perf${i}`;
  return prefix;
}

function isInStatementList(tsi: typeof ts, node: ts.Node): boolean {
  const parent = node.parent;
  return tsi.isBlock(parent) || tsi.isSourceFile(parent) || tsi.isModuleBlock(parent) || tsi.isCaseOrDefaultClause(parent);
}

function isPrologueDirective(tsi: typeof ts, statement: ts.Statement): boolean {
  return tsi.isExpressionStatement(statement) && tsi.isStringLiteral(statement.expression);
}

function skipParentheses(tsi: typeof ts, node: ts.Expression): ts.Expression {
  let current = node;
  while (tsi.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

function describeNode(tsi: typeof ts, node: ts.Node): string {
  if (tsi.isClassLike(node)) return "a class";
  if (tsi.isPropertyDeclaration(node)) return tsi.getCombinedModifierFlags(node) & tsi.ModifierFlags.Accessor ? "an auto-accessor field" : "a field";
  if (tsi.isParameter(node)) return "a parameter";
  return `a ${tsi.SyntaxKind[node.kind]}`;
}

/**
 * A test for "is this node inside one of these": a walk up the node's parents, so that checking every reference of
 * a file against every removed annotation stays linear in the file (comparing ranges pairwise was quadratic).
 */
function within(nodes: Iterable<ts.Node>): (node: ts.Node) => boolean {
  const set = new Set(nodes);
  return (node) => {
    for (let current: ts.Node | undefined = node; current !== undefined; current = current.parent) if (set.has(current)) return true;
    return false;
  };
}

/**
 * Strip mode: `perf.assertLatency(...)` and `perf.startTimer(...)` statements, and `const t = perf.startTimer()`
 * when `t` is used only by statements that are themselves removed. A timer used for anything else stays, with
 * its import, rather than leave a dangling reference.
 */
function findRemovableTimerStatements(pc: ProgramContext, sourceFile: ts.SourceFile): Set<ts.Node> {
  const { tsi, checker } = pc;
  const result = new Set<ts.Node>();
  if (!sourceFile.text.includes("startTimer") && !sourceFile.text.includes("assertLatency")) return result;
  const timerCall = (expression: ts.Expression | undefined, members: readonly PerfMember[]): boolean => {
    if (!expression || !tsi.isCallExpression(expression)) return false;
    const member = perfMemberOf(tsi, checker, pc.isRuntimeFile, expression.expression);
    return member !== undefined && members.includes(member);
  };
  const candidates: { statement: ts.VariableStatement; name: ts.Identifier }[] = [];
  const walk = (node: ts.Node): void => {
    if (tsi.isExpressionStatement(node) && timerCall(node.expression, ["startTimer", "assertLatency"])) result.add(node);
    else if (tsi.isVariableStatement(node) && node.declarationList.declarations.length === 1) {
      const declaration = node.declarationList.declarations[0]!;
      if (tsi.isIdentifier(declaration.name) && timerCall(declaration.initializer, ["startTimer"])) candidates.push({ statement: node, name: declaration.name });
    }
    tsi.forEachChild(node, walk);
  };
  walk(sourceFile);
  const isRemoved = within(result);
  for (const { statement, name } of candidates) {
    const symbol = checker.getSymbolAtLocation(name);
    const usedElsewhere = symbol !== undefined && referencesOf(tsi, checker, sourceFile, name.text, symbol).some((ref) => ref !== name && !isRemoved(ref));
    if (!usedElsewhere) result.add(statement);
  }
  return result;
}

/** Every identifier of a file by its text, gathered in one walk however many bindings are looked up. */
const identifiersByText = new WeakMap<ts.SourceFile, Map<string, (ts.Identifier | ts.ShorthandPropertyAssignment)[]>>();

function identifiersOf(tsi: typeof ts, sourceFile: ts.SourceFile): Map<string, (ts.Identifier | ts.ShorthandPropertyAssignment)[]> {
  let index = identifiersByText.get(sourceFile);
  if (index) return index;
  const built = new Map<string, (ts.Identifier | ts.ShorthandPropertyAssignment)[]>();
  const add = (text: string, node: ts.Identifier | ts.ShorthandPropertyAssignment): void => {
    const list = built.get(text);
    if (list) list.push(node);
    else built.set(text, [node]);
  };
  const walk = (node: ts.Node): void => {
    if (tsi.isIdentifier(node)) add(node.text, node);
    else if (tsi.isShorthandPropertyAssignment(node)) add(node.name.text, node);
    tsi.forEachChild(node, walk);
  };
  walk(sourceFile);
  index = built;
  identifiersByText.set(sourceFile, index);
  return index;
}

function referencesOf(tsi: typeof ts, checker: ts.TypeChecker, sourceFile: ts.SourceFile, text: string, symbol: ts.Symbol): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  for (const node of identifiersOf(tsi, sourceFile).get(text) ?? []) {
    if (tsi.isShorthandPropertyAssignment(node)) {
      if (checker.getShorthandAssignmentValueSymbol(node) === symbol) found.push(node.name);
    } else if (checker.getSymbolAtLocation(node) === symbol) {
      found.push(node);
    }
  }
  return found;
}

/**
 * TypeScript decides import elision from the original source, where the annotations still used the import, and
 * does not elide an import a transformer has touched. So once the annotations are gone, this applies its rules
 * itself: a binding stays only if a value reference to it is left (or, under emitDecoratorMetadata, a signature
 * that still has a decorator names it); type-only specifiers go; a declaration with nothing left goes (under
 * verbatimModuleSyntax the rest stays as written, less what we removed, as TypeScript would). The runtime's import
 * is always rewritten; another import only when something we removed was what kept one of its names.
 */
function dropUnusedImports(pc: ProgramContext, f: ts.NodeFactory, original: ts.SourceFile, current: ts.SourceFile, removed: readonly ts.Node[]): ts.SourceFile {
  const { tsi, checker } = pc;
  const verbatim = pc.verbatimModuleSyntax;
  const removedSet = new Set(removed);
  const isRemoved = within(removed);
  let metadata: { before: Set<ts.Identifier>; after: Set<ts.Identifier> } | undefined;
  const metadataRefs = (): { before: Set<ts.Identifier>; after: Set<ts.Identifier> } => {
    if (metadata) return metadata;
    if (!pc.decoratorMetadata || !removed.some((n) => tsi.isDecorator(n))) return (metadata = { before: new Set(), after: new Set() });
    const decorators = (node: ts.HasDecorators): readonly ts.Decorator[] => tsi.getDecorators(node) ?? [];
    return (metadata = {
      before: metadataReferences(tsi, original, (node) => decorators(node).length > 0, pc.strictNullChecks),
      after: metadataReferences(tsi, original, (node) => decorators(node).some((d) => !removedSet.has(d)), pc.strictNullChecks),
    });
  };
  const exported = new Set<string>();
  for (const statement of original.statements) {
    if (tsi.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && tsi.isNamedExports(statement.exportClause)) {
      for (const e of statement.exportClause.elements) exported.add((e.propertyName ?? e.name).text);
    } else if (tsi.isExportAssignment(statement) && tsi.isIdentifier(statement.expression)) {
      exported.add(statement.expression.text);
    }
  }
  const hasValue = (binding: ts.Identifier): boolean => {
    const symbol = checker.getSymbolAtLocation(binding);
    if (!symbol) return false;
    const target = symbol.flags & tsi.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return (target.flags & tsi.SymbolFlags.Value) !== 0 && (target.flags & tsi.SymbolFlags.ConstEnum) === 0;
  };
  /** Whether TypeScript keeps the binding: in the source as written (`before`) and once our removals are done. */
  const usage = (binding: ts.Identifier): { before: boolean; after: boolean } => {
    if (exported.has(binding.text)) return { before: true, after: true };
    const symbol = checker.getSymbolAtLocation(binding);
    if (!symbol) return { before: true, after: true };
    const refs = referencesOf(tsi, checker, original, binding.text, symbol).filter((ref) => ref !== binding);
    const values = refs.filter((ref) => !isInTypePosition(tsi, ref));
    const { before, after } = metadataRefs();
    const value = hasValue(binding);
    return {
      before: values.length > 0 || (value && refs.some((ref) => before.has(ref))),
      after: values.some((ref) => !isRemoved(ref)) || (value && refs.some((ref) => after.has(ref))),
    };
  };
  /** Under verbatimModuleSyntax a binding with no reference at all stays, as TypeScript would keep it. */
  const keep = (binding: ts.Identifier): boolean => {
    const { before, after } = usage(binding);
    return verbatim ? after || !before : after;
  };
  const importsRuntime = (declaration: ts.ImportDeclaration): boolean => {
    const clause = declaration.importClause;
    const names = [clause?.name, clause?.namedBindings && tsi.isNamespaceImport(clause.namedBindings) ? clause.namedBindings.name : undefined, ...(clause?.namedBindings && tsi.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.map((e) => e.name) : [])];
    return names.some((name) => name !== undefined && isRuntimeBinding(tsi, checker, pc.isRuntimeFile, name));
  };
  /** A name TypeScript would have kept and now must not: only then is a declaration not ours rewritten. */
  const lostItsUse = (declaration: ts.ImportDeclaration): boolean => {
    const clause = declaration.importClause;
    if (!clause) return false;
    const names = [clause.name, clause.namedBindings && tsi.isNamespaceImport(clause.namedBindings) ? clause.namedBindings.name : undefined, ...(clause.namedBindings && tsi.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.filter((e) => !e.isTypeOnly).map((e) => e.name) : [])];
    return names.some((name) => {
      if (name === undefined) return false;
      const { before, after } = usage(name);
      return before && !after;
    });
  };
  let changed = false;
  const statements: ts.Statement[] = [];
  for (const statement of current.statements) {
    const source = tsi.getOriginalNode(statement);
    const clause = tsi.isImportDeclaration(statement) ? statement.importClause : undefined;
    if (!clause || clause.isTypeOnly || !tsi.isImportDeclaration(source) || !(importsRuntime(source) || (!verbatim && lostItsUse(source)))) {
      statements.push(statement);
      continue;
    }
    // Rewritten whole, by TypeScript's rules: once touched, TypeScript no longer elides anything in it.
    const declaration = statement as ts.ImportDeclaration;
    const defaultName = clause.name && keep(clause.name) ? clause.name : undefined;
    let bindings = clause.namedBindings;
    let emptyNamed = false;
    if (bindings && tsi.isNamespaceImport(bindings) && !keep(bindings.name)) bindings = undefined;
    else if (bindings && tsi.isNamedImports(bindings)) {
      const kept = bindings.elements.filter((e) => !e.isTypeOnly && keep(e.name));
      // Under verbatimModuleSyntax, `import { type X }` alone still emits `import {}`: the source written without
      // annotations keeps its type-only names, so only a declaration left with nothing at all goes.
      emptyNamed = kept.length === 0 && !(verbatim && bindings.elements.some((e) => e.isTypeOnly));
      bindings = kept.length === bindings.elements.length ? bindings : f.updateNamedImports(bindings, kept);
    }
    if (defaultName === clause.name && bindings === clause.namedBindings) {
      statements.push(statement);
      continue;
    }
    changed = true;
    // Nothing left: the declaration goes, under verbatimModuleSyntax too (`import {} from` would still load the
    // whole runtime, which the source written without annotations never imported).
    if (!defaultName && (!bindings || emptyNamed)) continue;
    statements.push(f.updateImportDeclaration(declaration, declaration.modifiers, f.updateImportClause(clause, clause.phaseModifier, defaultName, bindings), declaration.moduleSpecifier, declaration.attributes));
  }
  return changed ? withStatements(tsi, f, current, statements) : current;
}

/** A reference that needs no runtime value: inside a type, or an `implements` / interface `extends` clause. */
function isInTypePosition(tsi: typeof ts, node: ts.Node): boolean {
  let current: ts.Node = node;
  while (tsi.isQualifiedName(current.parent) || tsi.isPropertyAccessExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  if (tsi.isExpressionWithTypeArguments(parent)) {
    const clause = parent.parent;
    return tsi.isHeritageClause(clause) && (clause.token === tsi.SyntaxKind.ImplementsKeyword || tsi.isInterfaceDeclaration(clause.parent));
  }
  return tsi.isTypeNode(parent);
}
