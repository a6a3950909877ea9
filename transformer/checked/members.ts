import type * as ts from "typescript";
import { PerfDiagnostic, TransformerError } from "../errors";
import { memberTarget } from "../match/naming";
import type { ContractKindName } from "../match/options";
import { runtimeTypeOf } from "../match/runtime-symbol";
import { updateMember } from "../tree/nodes";
import { skipParentheses, type CheckedFile } from "./context";
import { budgetOf, instrument } from "./probes";

interface Annotation {
  readonly kind: ContractKindName;
  readonly decorator: ts.Decorator;
  readonly options: ts.Expression | undefined;
}

/** Anything that carries decorators: ours are looked for (and misuse said) on every kind of node. */
export function isDecorated(file: CheckedFile, node: ts.Node): node is ts.HasDecorators {
  return file.tsi.canHaveDecorators(node) && (file.tsi.getDecorators(node)?.length ?? 0) > 0;
}

/** Our decorators go; the method or accessor gets probes in instrument mode. Misuse throws TransformerError. */
export function emitDecorated(file: CheckedFile, node: ts.HasDecorators): ts.Node {
  const { tsi, pc } = file;
  const annotations = annotationsOf(file, node);
  if (annotations.length === 0) return tsi.visitEachChild(node, file.visit, file.context);
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
  const target = memberTarget(tsi, file.sourceFile, node);
  const plans = annotations.map((a) => ({ kind: a.kind, budget: budgetOf(file, a.kind, a.options, target), target, at: a.decorator }));
  const visited = tsi.visitEachChild(node, file.visit, file.context);
  const ours = new Set<ts.Node>(annotations.map((a) => a.decorator));
  file.removed.push(...ours);
  const modifiers = visited.modifiers?.filter((m) => !ours.has(tsi.getOriginalNode(m)));
  const body = pc.mode === "instrument" ? instrument(file, node, visited.body!, plans) : visited.body!;
  return updateMember(tsi, file.factory, visited, modifiers, body);
}

function annotationsOf(file: CheckedFile, node: ts.HasDecorators): Annotation[] {
  const { tsi, checker, pc } = file;
  const found: Annotation[] = [];
  for (const decorator of tsi.getDecorators(node) ?? []) {
    const expression = skipParentheses(tsi, decorator.expression);
    const callee = tsi.isCallExpression(expression) ? skipParentheses(tsi, expression.expression) : expression;
    const member = file.memberOf(callee);
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

function describeNode(tsi: typeof ts, node: ts.Node): string {
  if (tsi.isClassLike(node)) return "a class";
  if (tsi.isPropertyDeclaration(node)) return tsi.getCombinedModifierFlags(node) & tsi.ModifierFlags.Accessor ? "an auto-accessor field" : "a field";
  if (tsi.isParameter(node)) return "a parameter";
  return `a ${tsi.SyntaxKind[node.kind]}`;
}
