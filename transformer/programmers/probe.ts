import type * as ts from "typescript";

/** What a probe needs to know; every number here ends up as a literal in the emitted code. */
export interface ProbePlan {
  readonly kind: "latency" | "memory";
  /** The budget in what the probe measures: milliseconds (latency) or bytes (memory). */
  readonly limit: number;
  /** Percentile contracts hand every measurement to the contract instead of comparing per call. */
  readonly percentile: boolean;
  /** The function is `async`: the finally block runs when its promise settles. */
  readonly isAsync: boolean;
  /**
   * Which `return x` hand x to `settle()` to be measured until it settles: every one for a non-async function
   * that returns a promise; for an `async` one, those returning a promise it does not await (the `finally` runs
   * before the async function adopts it, so it would measure nothing of it). Undefined: none.
   */
  readonly settlesReturn: ((expression: ts.Expression) => boolean) | undefined;
  /** The module-level `const __perf_cN = __perf.contract({...})`. */
  readonly contract: ts.Identifier;
  /** The module-level namespace import of the probe runtime. */
  readonly probe: ts.Identifier;
  /** The module-level `const __perf_clock = globalThis.performance`, immune to a local `performance`. */
  readonly clock: ts.Identifier;
}

/**
 * Wraps a function body in place: a reading before, the original statements in `try`, the comparison in
 * `finally`. The original statement nodes are reused as they are, so their source positions (and source maps)
 * and everything they see (`this`, `arguments`, `super`, `new.target`) are unchanged.
 */
export function instrumentBody(
  tsi: typeof ts,
  context: ts.TransformationContext,
  body: ts.ConciseBody,
  plan: ProbePlan,
): ts.Block {
  const f = context.factory;
  const start = f.createUniqueName(plan.kind === "latency" ? "__perf_t0" : "__perf_m0");
  const settles = plan.settlesReturn;
  const settled = settles !== undefined && bodyReturns(tsi, body, settles) ? f.createUniqueName("__perf_settled") : undefined;
  // Whether the body threw: a budget breach must not replace the caller's own error in `throw` mode.
  const threw = f.createUniqueName("__perf_threw");
  const caught = f.createUniqueName("__perf_error");

  let prologue: ts.Statement[] = [];
  let statements: ts.Statement[];
  if (tsi.isBlock(body)) {
    const split = splitPrologue(tsi, body.statements);
    prologue = split.prologue;
    statements = split.rest;
  } else {
    statements = [tsi.setTextRange(f.createReturnStatement(body), body)];
  }
  if (settled && settles) statements = statements.map((s) => routeReturns(tsi, context, s, plan, start, settled, settles));

  const declarations: ts.Statement[] = [constStatement(f, tsi, start, reading(f, plan)), letFalse(f, tsi, threw)];
  if (settled) declarations.push(letFalse(f, tsi, settled));
  let check: ts.Statement[] = judgement(tsi, f, plan, start, threw);
  if (settled) check = [f.createIfStatement(f.createLogicalNot(settled), f.createBlock(check, true))];

  const tryBlock = f.createBlock(statements, true);
  if (tsi.isBlock(body)) tsi.setTextRange(tryBlock, body);
  const rethrow = f.createCatchClause(
    caught,
    f.createBlock([f.createExpressionStatement(f.createAssignment(threw, f.createTrue())), f.createThrowStatement(caught)], true),
  );
  const block = f.createBlock([...prologue, ...declarations, f.createTryStatement(tryBlock, rethrow, f.createBlock(check, true))], true);
  return tsi.isBlock(body) ? tsi.setTextRange(block, body) : block;
}

function reading(f: ts.NodeFactory, plan: ProbePlan): ts.Expression {
  return plan.kind === "latency"
    ? f.createCallExpression(f.createPropertyAccessExpression(plan.clock, "now"), undefined, [])
    : f.createCallExpression(f.createPropertyAccessExpression(plan.probe, "heap"), undefined, []);
}

/** `const d = now() - start; if (d > LIMIT) c.violate(d)`, or `c.add(now() - start)` for percentiles. */
function judgement(tsi: typeof ts, f: ts.NodeFactory, plan: ProbePlan, start: ts.Identifier, threw: ts.Identifier): ts.Statement[] {
  const elapsed = f.createBinaryExpression(reading(f, plan), tsi.SyntaxKind.MinusToken, start);
  const asyncFlag = [plan.isAsync ? f.createTrue() : f.createFalse(), threw];
  if (plan.percentile) {
    return [f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(plan.contract, "add"), undefined, [elapsed, ...asyncFlag]))];
  }
  const measured = f.createUniqueName(plan.kind === "latency" ? "__perf_d" : "__perf_dm");
  return [
    constStatement(f, tsi, measured, elapsed),
    f.createIfStatement(
      f.createBinaryExpression(measured, tsi.SyntaxKind.GreaterThanToken, numeric(f, tsi, plan.limit)),
      f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(plan.contract, "violate"), undefined, [measured, ...asyncFlag])),
    ),
  ];
}

/** `return x` → `return (settled = true, c.settle(x, start))`, not descending into nested functions or classes. */
function routeReturns(
  tsi: typeof ts,
  context: ts.TransformationContext,
  statement: ts.Statement,
  plan: ProbePlan,
  start: ts.Identifier,
  settled: ts.Identifier,
  settles: (expression: ts.Expression) => boolean,
): ts.Statement {
  const f = context.factory;
  const visit = (node: ts.Node): ts.Node => {
    if (tsi.isFunctionLike(node) || tsi.isClassLike(node)) return node;
    if (tsi.isReturnStatement(node) && node.expression && settles(node.expression)) {
      const routed = f.createCommaListExpression([
        f.createAssignment(settled, f.createTrue()),
        f.createCallExpression(f.createPropertyAccessExpression(plan.contract, "settle"), undefined, [node.expression, start]),
      ]);
      return tsi.setTextRange(f.updateReturnStatement(node, f.createParenthesizedExpression(routed)), node);
    }
    return tsi.visitEachChild(node, visit, context);
  };
  return visit(statement) as ts.Statement;
}

/** Does the body (not its nested functions or classes) have a `return x` that `settles` picks? */
function bodyReturns(tsi: typeof ts, body: ts.ConciseBody, settles: (expression: ts.Expression) => boolean): boolean {
  if (!tsi.isBlock(body)) return settles(body as ts.Expression);
  const walk = (node: ts.Node): boolean => {
    if (tsi.isFunctionLike(node) || tsi.isClassLike(node)) return false;
    if (tsi.isReturnStatement(node) && node.expression && settles(node.expression)) return true;
    return tsi.forEachChild(node, walk) ?? false;
  };
  return body.statements.some(walk);
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
