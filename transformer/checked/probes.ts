import type * as ts from "typescript";
import { contractFactsOf, type ContractPlan, type InlineContractFacts } from "../match/contract-facts";
import { writtenOrDefaultBudget, type ContractKindName, type WrittenBudget } from "../match/options";
import { instrumentBody } from "../programmers/probe";
import type { InstrumentableFunction } from "../tree/nodes";
import type { CheckedFile } from "./context";

/** The written budget, or (no options) the config's default or override for this file and target. */
export function budgetOf(file: CheckedFile, kind: ContractKindName, options: ts.Expression | undefined, target: string): WrittenBudget {
  return writtenOrDefaultBudget(file.tsi, kind, options, () => file.pc.defaultBudget(kind, file.file, target));
}

/**
 * A module-level contract: its facts are literals in the emitted `contract({...})`. The config's reaction to a
 * violation goes before `origin`, where the emitted literal has always had it.
 */
function register(file: CheckedFile, facts: InlineContractFacts): ts.Identifier {
  const { pc } = file;
  const { origin, ...written } = facts;
  const name = file.factory.createIdentifier(`${file.prefix}_c_${file.contracts.length + 1}`);
  // The runtime's default needs no saying; written, it would only be one more literal per contract.
  file.contracts.push({ name, facts: { ...written, ...(pc.onViolation !== "record" ? { onViolation: pc.onViolation } : {}), origin } });
  return name;
}

/** Builds the instrumented body for one function and all its annotations, fused into one try/finally. */
export function instrument(file: CheckedFile, fn: InstrumentableFunction, body: ts.ConciseBody, target: string, plans: readonly ContractPlan[]): ts.Block {
  const { tsi } = file;
  const isAsync = (tsi.getCombinedModifierFlags(fn) & tsi.ModifierFlags.Async) !== 0;
  const settlesReturn = isAsync ? (expression: ts.Expression) => mayBeThenable(file, expression) : returnsThenable(file, fn) ? () => true : undefined;
  const facts = contractFactsOf({ file: file.file, sourceFile: file.sourceFile, ordinals: file.ordinals, toMeasured: file.pc.toMeasured }, target, plans);
  // Constants registered innermost (last written) first, the order earlier builds emitted them in.
  const contracts = [...facts].reverse().map((f) => register(file, f)).reverse();
  const probeContracts = facts.map((f, i) => ({ kind: f.kind, limit: f.limit, percentile: f.percentile !== undefined, contract: contracts[i]! }));
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
