import type * as ts from "typescript";
import type { ContractSpec } from "../../runtime/spec";
import { contractId, lineOf } from "./naming";
import type { ContractKindName, WrittenBudget } from "./options";

/** A contract's compile-time facts as both hosts write them; the reaction to a violation is added by the ts-patch host only. */
export type InlineContractFacts = Omit<ContractSpec, "onViolation"> & { readonly origin: "inline" };

/** One annotation of a function, ready to become a contract. */
export interface ContractPlan {
  readonly kind: ContractKindName;
  readonly budget: WrittenBudget;
  /** Where the annotation is written: its line is the contract's. */
  readonly at: ts.Node;
}

/** What one file's contracts are numbered and converted by. */
export interface ContractScope {
  /** The file as contracts name it: relative to the project root, forward slashes. */
  readonly file: string;
  readonly sourceFile: ts.SourceFile;
  /** Per `target#kind`: how many contracts of that kind the target has so far (the id's ordinal). Grows. */
  readonly ordinals: Map<string, number>;
  /** A budget in what the probe measures (ms, bytes). */
  readonly toMeasured: (kind: ContractKindName, max: number, unit: string) => number;
}

/**
 * The facts of one function's annotations, in the order written. Ordinals (they tell two contracts of one kind on
 * one target apart in the id) are handed out innermost annotation (the last written) first, as when each annotation
 * had its own try/finally: ids stay what earlier builds wrote into reports, and every host gives the same ids.
 */
export function contractFactsOf(scope: ContractScope, target: string, plans: readonly ContractPlan[]): InlineContractFacts[] {
  const ordinals = [...plans].reverse().map((plan) => nextOrdinal(scope.ordinals, `${target}#${plan.kind}`)).reverse();
  return plans.map((plan, i) => ({
    id: contractId(scope.file, target, plan.kind, ordinals[i]!),
    kind: plan.kind,
    target,
    file: scope.file,
    line: lineOf(scope.sourceFile, plan.at),
    max: plan.budget.max,
    unit: plan.budget.unit,
    limit: scope.toMeasured(plan.kind, plan.budget.max, plan.budget.unit),
    ...(plan.kind === "latency" && plan.budget.percentile !== undefined ? { percentile: plan.budget.percentile } : {}),
    origin: "inline",
  }));
}

function nextOrdinal(ordinals: Map<string, number>, key: string): number {
  const ordinal = ordinals.get(key) ?? 0;
  ordinals.set(key, ordinal + 1);
  return ordinal;
}
