import type * as ts from "typescript";
import { PerfDiagnostic, TransformerError } from "../errors";
import type { FunctionLiteral, InstrumentableMember } from "../tree/nodes";
import type { ContractKindName } from "./options";
import { skipParentheses } from "./syntax";

/**
 * The misuse checks of both hosts, with their codes and messages: the checker host (checked/) and the source core
 * (source/decide.ts) decide differently which annotations are ours, but once one is, what makes it a misuse, where
 * the diagnostic starts and what it says are the same, whichever host builds the code.
 */

/** One of our decorators on a node, as written. */
export interface Annotation {
  readonly kind: ContractKindName;
  readonly decorator: ts.Decorator;
  /** Absent: the config's default budget. */
  readonly options: ts.Expression | undefined;
}

/** A decorator a host found to be `@perf.latency` / `@perf.memory` (`expression`: its expression, parentheses skipped). */
export function annotationOf(tsi: typeof ts, decorator: ts.Decorator, expression: ts.Expression, kind: ContractKindName): Annotation {
  if (!tsi.isCallExpression(expression)) {
    throw new TransformerError(decorator, PerfDiagnostic.NotCalled, `@perf.${kind} must be called: write @perf.${kind}() to use the configured default, or @perf.${kind}({ max, unit }).`);
  }
  if (expression.arguments.length > 1) {
    throw new TransformerError(expression.arguments[1]!, PerfDiagnostic.NonLiteralOptions, `@perf.${kind} takes one options object as a decorator; the two-argument form perf.${kind}(options, fn) is for functions.`);
  }
  return { kind, decorator, options: expression.arguments[0] };
}

/** A method or accessor with a body: the only thing a decorator annotation can instrument. */
export type AnnotatableMember = InstrumentableMember & { readonly body: ts.Block };

/**
 * Can the node carrying these annotations have them? Not a class, a field, a parameter, a generator, an abstract
 * or bodiless member; and, under experimentalDecorators, not where TypeScript itself rejects a decorator.
 * `experimentalDecorators` is asked only for a member in such a place (the source core reads it from a tsconfig).
 */
export function checkAnnotatedMember(tsi: typeof ts, node: ts.HasDecorators, first: Annotation, experimentalDecorators: () => boolean): asserts node is AnnotatableMember {
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
  const where = legacyDecoratorLimit(tsi, node);
  if (where !== undefined && experimentalDecorators()) {
    throw new TransformerError(first.decorator, PerfDiagnostic.LegacyDecoratorPosition, `@perf.${first.kind} cannot go ${where} under experimentalDecorators: TypeScript itself rejects decorators there. Use standard decorators (without experimentalDecorators), or annotate a method or function the code is moved into.`);
  }
}

/**
 * The function `perf.latency(options, fn)` gets probes in: fn when it is written right there (an arrow function or
 * a function expression), else undefined (a function passed by reference is left to the runtime wrapper). A
 * generator is a misuse: there is no single call to measure.
 */
export function wrappedFunctionLiteral(tsi: typeof ts, kind: ContractKindName, fnArgument: ts.Expression): FunctionLiteral | undefined {
  const fn = skipParentheses(tsi, fnArgument);
  if (tsi.isArrowFunction(fn)) return fn;
  if (!tsi.isFunctionExpression(fn)) return undefined;
  if (fn.asteriskToken) {
    throw new TransformerError(fn, PerfDiagnostic.Generator, `perf.${kind} cannot wrap a generator function: its body runs piecemeal across next() calls, so there is no single call to measure.`);
  }
  return fn;
}

/** Where TypeScript's experimentalDecorators reject a decorator on a method or accessor, said for a message. */
function legacyDecoratorLimit(tsi: typeof ts, node: InstrumentableMember): string | undefined {
  if (tsi.isPrivateIdentifier(node.name)) return "on a #private method or accessor";
  if (tsi.isClassExpression(node.parent)) return "in a class expression";
  if (tsi.isAccessor(node) && tsi.isClassLike(node.parent)) {
    const name = node.name;
    const earlier = node.parent.members.find((m) => m !== node && m.pos < node.pos && tsi.isAccessor(m) && m.kind !== node.kind && tsi.isIdentifier(m.name) && tsi.isIdentifier(name) && m.name.text === name.text && (tsi.getDecorators(m)?.length ?? 0) > 0);
    if (earlier) return "on both halves of a get/set pair (decorate only the first)";
  }
  return undefined;
}

function describeNode(tsi: typeof ts, node: ts.Node): string {
  if (tsi.isClassLike(node)) return "a class";
  if (tsi.isPropertyDeclaration(node)) return tsi.getCombinedModifierFlags(node) & tsi.ModifierFlags.Accessor ? "an auto-accessor field" : "a field";
  if (tsi.isParameter(node)) return "a parameter";
  return `a ${tsi.SyntaxKind[node.kind]}`;
}
