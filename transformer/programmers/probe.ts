import type * as ts from "typescript";
import { hasOwnFinally, ownReturns } from "../match/syntax";

/** One annotation on the function; every number here ends up as a literal in the emitted code. */
export interface ProbeContract {
  readonly kind: "latency" | "memory";
  /** The budget in what the probe measures: milliseconds (latency) or bytes (memory). */
  readonly limit: number;
  /** Percentile contracts hand every measurement to the contract instead of comparing per call. */
  readonly percentile: boolean;
  /** The module-level `const __perf_c_N = __perf_contract({...})`. */
  readonly contract: ts.Identifier;
}

/** The names a probe reads and declares: fresh identifier nodes on every call, for the printer. */
export interface ProbeNames {
  /** The probe runtime's `clock` (the real one, not the global fake timers replace) and `heap`. */
  readonly clock: () => ts.Expression;
  readonly heap: () => ts.Expression;
  /** The function-local variables: each function is its own scope, so the same names serve every probe of a file. */
  readonly local: (name: "t0" | "m0" | "d" | "dm" | "threw" | "error" | "settled" | "result") => ts.Identifier;
}

/** What a probe needs to know about the function and its annotations. */
export interface ProbePlan {
  /** The annotations, fused into one reading and one try/finally; at least one. */
  readonly contracts: readonly ProbeContract[];
  /** The function is `async`: the finally block runs when its promise settles. */
  readonly isAsync: boolean;
  /**
   * Which `return x` hand x to `settle()` to be measured until it settles: every one for a non-async function
   * that returns a promise; for an `async` one, those returning a promise it does not await (the `finally` runs
   * before the async function adopts it, so it would measure nothing of it). Undefined: none.
   */
  readonly settlesReturn: ((expression: ts.Expression) => boolean) | undefined;
  /**
   * Without a type checker (the ts-jest host) whether `return x` gives a promise is known only at run time: each
   * return `settlesReturn` picks becomes `return (settled = (r = (0, x)) instanceof Promise, r)`. Absent or false:
   * the picked returns are promises by their type, `return (settled = true, r = (0, x))`.
   */
  readonly settleAtRunTime?: boolean;
  readonly names: ProbeNames;
}

/**
 * Wraps a function body in place: readings before, the original statements in `try`, the comparisons in
 * `finally`. Latency and memory annotations on one function share one try/finally, the heap read outside the
 * clock (heap before, clock, body, clock, heap), so the latency measured does not include the heap readings
 * and the memory growth does not include a latency violation's record. The original statement nodes are
 * reused as they are, so their source positions (and source maps) and everything they see (`this`,
 * `arguments`, `super`, `new.target`) are unchanged.
 */
export function instrumentBody(tsi: typeof ts, context: ts.TransformationContext, body: ts.ConciseBody, plan: ProbePlan): ts.Block {
  const f = context.factory;
  const { names } = plan;
  const latency = plan.contracts.filter((c) => c.kind === "latency");
  const memory = plan.contracts.filter((c) => c.kind === "memory");
  const settles = plan.settlesReturn;
  const settled = settles !== undefined && bodyReturns(tsi, body, settles) ? names.local("settled") : undefined;
  // Whether the body threw: a budget breach must not replace the caller's own error in `throw` mode.
  const threw = names.local("threw");

  let prologue: ts.Statement[] = [];
  let statements: ts.Statement[];
  if (tsi.isBlock(body)) {
    const split = splitPrologue(tsi, body.statements);
    prologue = split.prologue;
    statements = split.rest;
  } else {
    statements = [tsi.setTextRange(f.createReturnStatement(body), body)];
  }
  // A promise handed over is settled by each contract in turn, the clock's first (it was read last).
  const starts = [...latency.map((c) => ({ contract: c.contract, start: "t0" as const })), ...memory.map((c) => ({ contract: c.contract, start: "m0" as const }))];
  const atRunTime = plan.settleAtRunTime === true;
  // A `finally` of the user's can discard a `return x` (by throwing, returning or breaking out of it): then
  // every way out of the body says whether a promise is what the function gives back.
  const resets = settled !== undefined && hasOwnFinally(tsi, body);
  if (settled && settles) {
    statements = statements.map((s) => routeReturns(tsi, context, s, names, settles, atRunTime, resets));
    if (resets) statements.push(f.createExpressionStatement(f.createAssignment(names.local("settled"), f.createFalse())));
  }

  const declarations: ts.Statement[] = [letFalse(f, tsi, threw)];
  if (settled) declarations.push(letFalse(f, tsi, names.local("settled")));
  if (settled) declarations.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(names.local("result"))], tsi.NodeFlags.Let)));
  if (memory.length > 0) declarations.push(constStatement(f, tsi, names.local("m0"), call(f, names.heap())));
  if (latency.length > 0) declarations.push(constStatement(f, tsi, names.local("t0"), now(f, names)));

  let check = judgement(tsi, f, plan, latency, memory);
  if (settled) {
    // The promise is handed over here, once the function has really returned it, not at its `return`: a promise
    // whose return a `finally` discarded keeps no handler of ours, so nobody handling it stays an unhandled
    // rejection, as in the plain code.
    let settling: ts.Expression = names.local("result");
    for (const { contract, start } of starts) settling = f.createCallExpression(f.createPropertyAccessExpression(contract, "settle"), undefined, [settling, names.local(start)]);
    const returnedPromise = f.createLogicalAnd(names.local("settled"), f.createLogicalNot(names.local("threw")));
    check = [f.createIfStatement(returnedPromise, f.createBlock([f.createExpressionStatement(settling)], true), f.createBlock(check, true))];
  }

  const tryBlock = f.createBlock(statements, true);
  if (tsi.isBlock(body)) tsi.setTextRange(tryBlock, body);
  const caught = names.local("error");
  const rethrow = f.createCatchClause(
    caught,
    f.createBlock([f.createExpressionStatement(f.createAssignment(names.local("threw"), f.createTrue())), f.createThrowStatement(names.local("error"))], true),
  );
  const block = f.createBlock([...prologue, ...declarations, f.createTryStatement(tryBlock, rethrow, f.createBlock(check, true))], true);
  return tsi.isBlock(body) ? tsi.setTextRange(block, body) : block;
}

function call(f: ts.NodeFactory, callee: ts.Expression): ts.Expression {
  return f.createCallExpression(callee, undefined, []);
}

function now(f: ts.NodeFactory, names: ProbeNames): ts.Expression {
  return call(f, f.createPropertyAccessExpression(names.clock(), "now"));
}

/**
 * Clock first, then heap (the reverse of the readings before), then the comparisons:
 * `const d = now() - t0; const dm = heap() - m0; if (d > LIMIT) c.violate(d, ...); ...`; percentile contracts
 * `c.add(d, ...)` on every call. A lone percentile contract adds `now() - t0` directly.
 */
function judgement(tsi: typeof ts, f: ts.NodeFactory, plan: ProbePlan, latency: readonly ProbeContract[], memory: readonly ProbeContract[]): ts.Statement[] {
  const { names } = plan;
  const flags = (): ts.Expression[] => [plan.isAsync ? f.createTrue() : f.createFalse(), names.local("threw")];
  const elapsed = (): ts.Expression => f.createBinaryExpression(now(f, names), tsi.SyntaxKind.MinusToken, names.local("t0"));
  const only = plan.contracts.length === 1 ? plan.contracts[0]! : undefined;
  if (only && only.kind === "latency" && only.percentile) {
    return [f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(only.contract, "add"), undefined, [elapsed(), ...flags()]))];
  }
  const statements: ts.Statement[] = [];
  if (latency.length > 0) statements.push(constStatement(f, tsi, names.local("d"), elapsed()));
  if (memory.length > 0) statements.push(constStatement(f, tsi, names.local("dm"), f.createBinaryExpression(call(f, names.heap()), tsi.SyntaxKind.MinusToken, names.local("m0"))));
  for (const c of [...latency, ...memory]) {
    const measured = (): ts.Identifier => names.local(c.kind === "latency" ? "d" : "dm");
    if (c.percentile) {
      statements.push(f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(c.contract, "add"), undefined, [measured(), ...flags()])));
      continue;
    }
    statements.push(
      f.createIfStatement(
        f.createBinaryExpression(measured(), tsi.SyntaxKind.GreaterThanToken, numeric(f, tsi, c.limit)),
        f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(c.contract, "violate"), undefined, [measured(), ...flags()])),
      ),
    );
  }
  return statements;
}

/**
 * `return x` → `return (settled = true, r = (0, x))`, or `return (settled = (r = (0, x)) instanceof Promise, r)` when
 * only the run time knows; not descending into nested functions or classes. With `resets`, the other returns say
 * that no promise is given back: `return (settled = false, y)`, `return void (settled = false)`.
 */
function routeReturns(
  tsi: typeof ts,
  context: ts.TransformationContext,
  statement: ts.Statement,
  names: ProbeNames,
  settles: (expression: ts.Expression) => boolean,
  atRunTime: boolean,
  resets: boolean,
): ts.Statement {
  const f = context.factory;
  const settledIs = (value: ts.Expression): ts.Expression => f.createAssignment(names.local("settled"), value);
  const visit = (node: ts.Node): ts.Node => {
    if (tsi.isFunctionLike(node) || tsi.isClassLike(node)) return node;
    if (!tsi.isReturnStatement(node)) return tsi.visitEachChild(node, visit, context);
    let value: ts.Expression;
    if (node.expression && settles(node.expression)) {
      // `(0, x)`: an anonymous function returned here must not take the temporary's name from the assignment.
      const recorded = f.createAssignment(names.local("result"), f.createParenthesizedExpression(f.createCommaListExpression([f.createNumericLiteral(0), node.expression])));
      value = atRunTime
        ? f.createCommaListExpression([settledIs(f.createBinaryExpression(f.createParenthesizedExpression(recorded), tsi.SyntaxKind.InstanceOfKeyword, f.createIdentifier("Promise"))), names.local("result")])
        : f.createCommaListExpression([settledIs(f.createTrue()), recorded]);
      value = f.createParenthesizedExpression(value);
    } else if (!resets) {
      return node;
    } else if (node.expression) {
      value = f.createParenthesizedExpression(f.createCommaListExpression([settledIs(f.createFalse()), node.expression]));
    } else {
      value = f.createVoidExpression(f.createParenthesizedExpression(settledIs(f.createFalse())));
    }
    return tsi.setTextRange(f.updateReturnStatement(node, value), node);
  };
  return visit(statement) as ts.Statement;
}

/** Does the body (not its nested functions or classes) have a `return x` that `settles` picks? */
function bodyReturns(tsi: typeof ts, body: ts.ConciseBody, settles: (expression: ts.Expression) => boolean): boolean {
  if (!tsi.isBlock(body)) return settles(body as ts.Expression);
  return ownReturns(tsi, body).some((r) => r.expression !== undefined && settles(r.expression));
}

function splitPrologue(tsi: typeof ts, statements: ts.NodeArray<ts.Statement>): { prologue: ts.Statement[]; rest: ts.Statement[] } {
  let i = 0;
  while (i < statements.length) {
    const s = statements[i]!;
    if (!(tsi.isExpressionStatement(s) && tsi.isStringLiteral(s.expression))) break;
    i++;
  }
  return { prologue: statements.slice(0, i), rest: statements.slice(i) };
}

function letFalse(f: ts.NodeFactory, tsi: typeof ts, name: ts.Identifier): ts.Statement {
  return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, f.createFalse())], tsi.NodeFlags.Let));
}

function constStatement(f: ts.NodeFactory, tsi: typeof ts, name: ts.Identifier, value: ts.Expression): ts.Statement {
  return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, value)], tsi.NodeFlags.Const));
}

export function numeric(f: ts.NodeFactory, tsi: typeof ts, value: number): ts.Expression {
  if (value < 0) return f.createPrefixUnaryExpression(tsi.SyntaxKind.MinusToken, f.createNumericLiteral(-value));
  return f.createNumericLiteral(value);
}
