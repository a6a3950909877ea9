import type { BenchBudget } from "./types";

/**
 * The effective budget of a benchmark: the bench file's, overridden metric by metric by the config's
 * (`benchmarks.budgets`, keyed by `group/name`, or by the bare name). The config wins so a team can
 * adjust a budget without touching bench code.
 */
export function effectiveBudget(
  id: string,
  name: string,
  fromFile: BenchBudget | undefined,
  fromConfig: Readonly<Record<string, BenchBudget>> | undefined,
): BenchBudget | undefined {
  const configured = fromConfig?.[id] ?? (id !== name ? fromConfig?.[name] : undefined);
  if (fromFile === undefined && configured === undefined) return undefined;
  const merged: Record<string, unknown> = { ...(fromFile ?? {}) };
  for (const [metric, limit] of Object.entries(configured ?? {})) if (limit !== undefined) merged[metric] = limit;
  return merged as BenchBudget;
}
