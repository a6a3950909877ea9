import type { SourceLocation } from "./callsite";
import { registerContract, type ContractImpl } from "./contract";
import { fnv1aHex } from "./hash";
import type { ContractKind, ProbeOrigin, Unit } from "./types";
import { isLatencyUnit, isMemoryUnit, toBase, unitsOf } from "./units";

/** Validated options of one runtime annotation, with the limit in ms or bytes. */
export interface Budget {
  readonly kind: ContractKind;
  readonly max: number;
  readonly unit: Unit;
  readonly limit: number;
  readonly percentile?: number;
  readonly name?: string;
}

const KEYS: Readonly<Record<ContractKind, readonly string[]>> = {
  latency: ["max", "unit", "percentile", "name"],
  memory: ["max", "unit", "name"],
};

export function where(site: SourceLocation): string {
  return site.file ? ` at ${site.file}:${site.line}:${site.column}` : "";
}

/**
 * Checks options written by hand (the transformer reports the same mistakes at compile time) and fills
 * in the configured defaults. Errors name the API, the place and the key.
 */
export function resolveBudget(
  api: string,
  kind: ContractKind,
  options: unknown,
  fallback: { readonly max: number; readonly unit: Unit; readonly percentile?: number } | undefined,
  site: SourceLocation,
): Budget {
  const fail = (message: string): never => {
    throw new TypeError(`${api}${where(site)}: ${message}`);
  };
  if (options === undefined) {
    if (fallback === undefined) return fail("options { max, unit } are required");
    options = fallback;
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return fail(`options must be an object like { max: 50, unit: "${kind === "latency" ? "ms" : "MB"}" }, got ${describe(options)}`);
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KEYS[kind].includes(key)) fail(`unknown option "${key}" (expected ${KEYS[kind].join(", ")})`);
  }
  const { max, unit, percentile, name } = record;
  if (typeof max !== "number" || !Number.isFinite(max) || max <= 0) fail(`"max" must be a number > 0, got ${describe(max)}`);
  if (kind === "latency" ? !isLatencyUnit(unit) : !isMemoryUnit(unit)) {
    fail(`"unit" must be one of ${unitsOf(kind).join(", ")}, got ${describe(unit)}`);
  }
  if (percentile !== undefined && (typeof percentile !== "number" || !(percentile > 0 && percentile <= 100))) {
    fail(`"percentile" must be a number in (0, 100], got ${describe(percentile)}`);
  }
  if (name !== undefined && (typeof name !== "string" || name === "")) fail(`"name" must be a non-empty string, got ${describe(name)}`);
  const budget: Budget = {
    kind,
    max: max as number,
    unit: unit as Unit,
    limit: toBase(max as number, unit as Unit),
    ...(percentile === undefined ? {} : { percentile: percentile as number }),
    ...(name === undefined ? {} : { name: name as string }),
  };
  return budget;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return "an array";
  return String(value);
}

export function runtimeContract(budget: Budget, target: string, site: SourceLocation, origin: ProbeOrigin): ContractImpl {
  return registerContract({
    // Stable across processes and re-evaluations: the same annotation gets the same id in every worker.
    id: fnv1aHex(`${origin}|${budget.kind}|${site.file}|${site.line}|${site.column}|${target}`),
    kind: budget.kind,
    target,
    file: site.file,
    line: site.line,
    max: budget.max,
    unit: budget.unit,
    limit: budget.limit,
    ...(budget.percentile === undefined ? {} : { percentile: budget.percentile }),
    origin,
  });
}
