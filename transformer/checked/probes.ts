import type * as ts from "typescript";
import { contractId, lineOf } from "../match/naming";
import { readBudgetLiteral, type ContractKindName, type WrittenBudget } from "../match/options";
import type { ContractFacts } from "../programmers/module";
import { instrumentBody } from "../programmers/probe";
import type { CheckedFile } from "./context";

export type InstrumentableFunction = ts.MethodDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration | ts.FunctionExpression | ts.ArrowFunction;

/** One annotation of a function, ready to become a probe. */
export interface ProbePlanEntry {
  readonly kind: ContractKindName;
  readonly budget: WrittenBudget;
  readonly target: string;
  readonly at: ts.Node;
}

/** The written budget, or (no options) the config's default or override for this file and target. */
export function budgetOf(file: CheckedFile, kind: ContractKindName, options: ts.Expression | undefined, target: string): WrittenBudget {
  return options === undefined ? file.pc.defaultBudget(kind, file.file, target) : readBudgetLiteral(file.tsi, kind, options);
}

/** A module-level contract for one annotation: its facts are literals in the emitted `contract({...})`. */
function register(file: CheckedFile, kind: ContractKindName, target: string, at: ts.Node, budget: WrittenBudget): ts.Identifier {
  const { pc } = file;
  const key = `${target}#${kind}`;
  const ordinal = file.ordinals.get(key) ?? 0;
  file.ordinals.set(key, ordinal + 1);
  const name = file.factory.createIdentifier(`${file.prefix}_c_${file.contracts.length + 1}`);
  const facts: ContractFacts = {
    id: contractId(file.file, target, kind, ordinal),
    kind,
    target,
    file: file.file,
    line: lineOf(file.sourceFile, at),
    max: budget.max,
    unit: budget.unit,
    limit: pc.toMeasured(kind, budget.max, budget.unit),
    ...(kind === "latency" && budget.percentile !== undefined ? { percentile: budget.percentile } : {}),
    // The runtime's default needs no saying; written, it would only be one more literal per contract.
    ...(pc.onViolation !== "record" ? { onViolation: pc.onViolation } : {}),
    origin: "inline",
  };
  file.contracts.push({ name, facts });
  return name;
}

/** Builds the instrumented body for one function and all its annotations, fused into one try/finally. */
export function instrument(file: CheckedFile, fn: InstrumentableFunction, body: ts.ConciseBody, plans: readonly ProbePlanEntry[]): ts.Block {
  const { tsi, pc } = file;
  const isAsync = (tsi.getCombinedModifierFlags(fn) & tsi.ModifierFlags.Async) !== 0;
  const settlesReturn = isAsync ? (expression: ts.Expression) => mayBeThenable(file, expression) : returnsThenable(file, fn) ? () => true : undefined;
  // Registered innermost (last written) first, as when each annotation had its own try/finally: contract ids
  // (an ordinal tells two of one kind on one target apart) stay what earlier builds wrote into reports.
  const probeContracts = [...plans].reverse().map((plan) => ({
    kind: plan.kind,
    limit: pc.toMeasured(plan.kind, plan.budget.max, plan.budget.unit),
    percentile: plan.kind === "latency" && plan.budget.percentile !== undefined,
    contract: register(file, plan.kind, plan.target, plan.at, plan.budget),
  })).reverse();
  return instrumentBody(tsi, file.context, body, { contracts: probeContracts, isAsync, settlesReturn, names: file.names });
}

function isThenableType(file: CheckedFile, type: ts.Type, at: ts.Node): boolean {
  const { tsi, checker } = file;
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((part) => {
    if (part.flags & (tsi.TypeFlags.Any | tsi.TypeFlags.Unknown)) return true;
    const then = part.getProperty("then");
    return then !== undefined && checker.getTypeOfSymbolAtLocation(then, at).getCallSignatures().length > 0;
  });
}

function returnsThenable(file: CheckedFile, fn: InstrumentableFunction): boolean {
  const { tsi, checker } = file;
  if (tsi.isSetAccessorDeclaration(fn)) return false;
  const signature = checker.getSignatureFromDeclaration(fn);
  if (!signature) return false;
  const type = checker.getReturnTypeOfSignature(signature);
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((part) => {
    const then = part.getProperty("then");
    return then !== undefined && checker.getTypeOfSymbolAtLocation(then, fn).getCallSignatures().length > 0;
  });
}

/**
 * An `async` function's `return x` where x may be a promise (its type has a callable `then`, or is any/unknown):
 * the function adopts it after `finally` ran. `return await x` and plain values are measured by `finally`.
 */
function mayBeThenable(file: CheckedFile, expression: ts.Expression): boolean {
  const { tsi, checker } = file;
  const original = tsi.getOriginalNode(expression);
  if (original.pos < 0 || !tsi.isExpression(original)) return true;
  return isThenableType(file, checker.getTypeAtLocation(original), original);
}
