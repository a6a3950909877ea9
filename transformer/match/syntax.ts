import type * as ts from "typescript";

/**
 * Syntax both hosts read the same way, whoever then decides whether it is ours (the checker host through the type
 * checker, the source core through the file's imports): one definition, so the hosts cannot drift apart on what
 * counts as a call, an access of `perf`, or a statement that must stay a statement.
 */

export type PerfMember = "latency" | "memory" | "startTimer" | "assertLatency";
const MEMBERS: ReadonlySet<string> = new Set<PerfMember>(["latency", "memory", "startTimer", "assertLatency"]);

/**
 * `(x)` and `x!` are `x` as far as matching goes: neither changes the value, so `(perf.latency)(o, fn)` and
 * `perf.latency(o, (() => 1)!)` are matched as if written without them.
 */
export function skipParentheses(tsi: typeof ts, node: ts.Expression): ts.Expression {
  let current = node;
  while (tsi.isParenthesizedExpression(current) || tsi.isNonNullExpression(current)) current = current.expression;
  return current;
}

/** `X.latency`, `X["memory"]`, `(X.startTimer)`: the object and the member of ours it names, before anyone asks whose X is. */
export interface MemberAccess {
  readonly object: ts.Expression;
  /** The node naming the member: an identifier, or the string literal of an element access. */
  readonly nameNode: ts.Identifier | ts.StringLiteralLike;
  readonly member: PerfMember;
}

export function memberAccessOf(tsi: typeof ts, expression: ts.Expression): MemberAccess | undefined {
  const callee = skipParentheses(tsi, expression);
  let nameNode: ts.Identifier | ts.StringLiteralLike;
  if (tsi.isPropertyAccessExpression(callee) && tsi.isIdentifier(callee.name)) nameNode = callee.name;
  else if (tsi.isElementAccessExpression(callee) && tsi.isStringLiteralLike(callee.argumentExpression)) nameNode = callee.argumentExpression;
  else return undefined;
  return MEMBERS.has(nameNode.text) ? { object: callee.expression, nameNode, member: nameNode.text as PerfMember } : undefined;
}

/** A call of two arguments that is not a decorator's: where wrappers and `assertLatency(timer, options)` are. */
export function isTwoArgumentCall(tsi: typeof ts, node: ts.Node): node is ts.CallExpression {
  return tsi.isCallExpression(node) && node.arguments.length === 2 && !tsi.isDecorator(node.parent);
}

/** `perf.assertLatency(timer, options)` written with its two arguments, no spread: the call that gets its place appended. */
export function isLocatableAssertionCall(tsi: typeof ts, node: ts.Node, memberOf: (expression: ts.Expression) => PerfMember | undefined): node is ts.CallExpression {
  return isTwoArgumentCall(tsi, node) && memberOf(node.expression) === "assertLatency" && !node.arguments.some((a) => tsi.isSpreadElement(a));
}

/**
 * A statement that is the whole body of an `if`/`else`/loop/label, not one of a list: removing it must leave `;`,
 * as the source written without it would read (and returning nothing there is a compiler Debug Failure).
 */
export function isUnbracedStatement(tsi: typeof ts, statement: ts.Node): boolean {
  const parent = statement.parent;
  return !(tsi.isBlock(parent) || tsi.isSourceFile(parent) || tsi.isModuleBlock(parent) || tsi.isCaseOrDefaultClause(parent));
}

/** Visits the nodes of a function body that are its own (not in a nested function or class) until `stop` says so. */
function someOwnNode(tsi: typeof ts, body: ts.Node, stop: (node: ts.Node) => boolean): boolean {
  const walk = (node: ts.Node): boolean => {
    if (tsi.isFunctionLike(node) || tsi.isClassLike(node)) return false;
    return stop(node) || (tsi.forEachChild(node, walk) ?? false);
  };
  return tsi.forEachChild(body, walk) ?? false;
}

/** The `return` statements of a function body, not those of its nested functions or classes. */
export function ownReturns(tsi: typeof ts, body: ts.Node): ts.ReturnStatement[] {
  const found: ts.ReturnStatement[] = [];
  someOwnNode(tsi, body, (node) => {
    if (tsi.isReturnStatement(node)) found.push(node);
    return false;
  });
  return found;
}

/** Does this function body have a `try` with a `finally` of its own (not in a nested function or class)? */
export function hasOwnFinally(tsi: typeof ts, body: ts.Node): boolean {
  return someOwnNode(tsi, body, (node) => tsi.isTryStatement(node) && node.finallyBlock !== undefined);
}
