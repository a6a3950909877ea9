import { compileGlob, globSpecificity, type GlobSpecificity } from "./glob";
import type { LatencyBudget, MemoryBudget, PerfConfig } from "./types";

interface CompiledOverride<TBudget> {
  readonly glob: string;
  readonly budget: TBudget;
  readonly order: number;
  readonly specificity: GlobSpecificity;
  readonly matches: (text: string) => boolean;
}

export interface BudgetChoice<TBudget> {
  budget: TBudget;
  /** "default", or the override glob that matched. */
  source: string;
}

/** Compiled once per overrides table; the transformer asks for every annotation of every file. */
const compiled = new WeakMap<object, CompiledOverride<unknown>[]>();

function compile<TBudget>(overrides: Readonly<Record<string, TBudget>>): CompiledOverride<TBudget>[] {
  const cached = compiled.get(overrides);
  if (cached) return cached as CompiledOverride<TBudget>[];
  const list = Object.entries(overrides).map(([glob, budget], order) => ({
    glob,
    budget,
    order,
    specificity: globSpecificity(glob),
    matches: compileGlob(glob),
  }));
  compiled.set(overrides, list);
  return list;
}

interface Match<TBudget> {
  readonly override: CompiledOverride<TBudget>;
  /** Matched the qualified name rather than only the file path. */
  readonly byName: boolean;
}

/**
 * Most specific first (docs/configuration.md, "Which override wins"):
 *  1. an exact pattern (no glob syntax) beats any glob; between two exact ones the qualified name wins;
 *  2. more literal characters;
 *  3. fewer wildcards;
 *  4. a qualified-name match beats a file-path match;
 *  5. the override written first.
 */
export function compareMatches<TBudget>(a: Match<TBudget>, b: Match<TBudget>): number {
  const sa = a.override.specificity;
  const sb = b.override.specificity;
  if (sa.exact !== sb.exact) return sa.exact ? -1 : 1;
  if (sa.exact && a.byName !== b.byName) return a.byName ? -1 : 1;
  return (
    sb.literals - sa.literals ||
    sa.wildcards - sb.wildcards ||
    (a.byName === b.byName ? 0 : a.byName ? -1 : 1) ||
    a.override.order - b.override.order
  );
}

/** The override that applies to `file` / `qualifiedName`, or the default budget. */
export function chooseBudget<TBudget>(
  defaultBudget: TBudget,
  overrides: Readonly<Record<string, TBudget>>,
  file: string,
  qualifiedName: string,
): BudgetChoice<TBudget> {
  const posixFile = file.replace(/\\/g, "/").replace(/^\.\//, "");
  let best: Match<TBudget> | undefined;
  for (const override of compile(overrides)) {
    const byName = qualifiedName !== "" && override.matches(qualifiedName);
    if (!byName && (posixFile === "" || !override.matches(posixFile))) continue;
    const candidate = { override, byName };
    if (best === undefined || compareMatches(candidate, best) < 0) best = candidate;
  }
  return best ? { budget: best.override.budget, source: best.override.glob } : { budget: defaultBudget, source: "default" };
}

/**
 * The budget for `@perf.latency()` / `@perf.memory()` written without options, for the annotated member
 * `qualifiedName` (`OrderService.placeOrder`) in `file` (relative to the project root, `/`-separated).
 */
export function contractBudget(
  cfg: PerfConfig,
  kind: "latency" | "memory",
  file: string,
  qualifiedName: string,
): { budget: LatencyBudget | MemoryBudget; source: string } {
  if (kind === "latency") return chooseBudget(cfg.contracts.latency.default, cfg.contracts.latency.overrides, file, qualifiedName);
  return chooseBudget(cfg.contracts.memory.default, cfg.contracts.memory.overrides, file, qualifiedName);
}
