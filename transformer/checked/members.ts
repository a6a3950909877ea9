import type * as ts from "typescript";
import { PerfDiagnostic, TransformerError } from "../errors";
import { memberTarget } from "../match/naming";
import { annotationOf, checkAnnotatedMember, type Annotation } from "../match/misuse";
import { runtimeTypeOf } from "../match/runtime-symbol";
import { skipParentheses } from "../match/syntax";
import { updateMember } from "../tree/nodes";
import type { CheckedFile } from "./context";
import { budgetOf, instrument } from "./probes";

/** Anything that carries decorators: ours are looked for (and misuse said) on every kind of node. */
export function isDecorated(file: CheckedFile, node: ts.Node): node is ts.HasDecorators {
  return file.tsi.canHaveDecorators(node) && (file.tsi.getDecorators(node)?.length ?? 0) > 0;
}

/** Our decorators go; the method or accessor gets probes in instrument mode. Misuse throws TransformerError. */
export function emitDecorated(file: CheckedFile, node: ts.HasDecorators): ts.Node {
  const { tsi, pc } = file;
  const annotations = annotationsOf(file, node);
  if (annotations.length === 0) return tsi.visitEachChild(node, file.visit, file.context);
  checkAnnotatedMember(tsi, node, annotations[0]!, () => pc.experimentalDecorators);
  const target = memberTarget(tsi, file.sourceFile, node);
  const plans = annotations.map((a) => ({ kind: a.kind, budget: budgetOf(file, a.kind, a.options, target), at: a.decorator }));
  const visited = tsi.visitEachChild(node, file.visit, file.context);
  const ours = new Set<ts.Node>(annotations.map((a) => a.decorator));
  file.removed.push(...ours);
  const modifiers = visited.modifiers?.filter((m) => !ours.has(tsi.getOriginalNode(m)));
  const body = pc.mode === "instrument" ? instrument(file, node, visited.body, target, plans) : visited.body;
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
      found.push(annotationOf(tsi, decorator, expression, member));
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
