import { MAX_STORED_VIOLATIONS, state, type SharedState } from "./state";
import type { ContractSummary, PerformanceReport, PerformanceViolation } from "./types";

export function buildReport(from: SharedState = state): PerformanceReport {
  return {
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    pid: process.pid,
    node: process.version,
    pids: [process.pid],
    contracts: from.contracts.map((c) => c.summary()),
    violations: from.violations.slice(),
    ...(from.dropped > 0 ? { droppedViolations: from.dropped } : {}),
  };
}

export function isReport(value: unknown): value is PerformanceReport {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Partial<Record<keyof PerformanceReport, unknown>>;
  return r.schemaVersion === 1 && Array.isArray(r.contracts) && Array.isArray(r.violations);
}

function contractKey(c: ContractSummary): string {
  return JSON.stringify([c.contractId, c.kind, c.target, c.file, c.line, c.threshold, c.unit, c.percentile ?? null]);
}

function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/**
 * Combines reports of several processes of one run (test-runner workers): violations are concatenated
 * (up to the collector's cap, the rest counted as dropped); a contract armed in several processes
 * becomes one summary with calls and violations summed and the worst value kept. A merged
 * `percentileValue` is the largest of the processes' percentiles: the percentile of all samples
 * together lies between the smallest and the largest, so this errs on the side of the budget.
 */
export function mergeReports(older: PerformanceReport, newer: PerformanceReport): PerformanceReport {
  const contracts = new Map<string, ContractSummary>();
  for (const c of [...older.contracts, ...newer.contracts]) {
    const key = contractKey(c);
    const seen = contracts.get(key);
    if (seen === undefined) {
      contracts.set(key, c);
      continue;
    }
    const calls = seen.calls === undefined && c.calls === undefined ? undefined : (seen.calls ?? 0) + (c.calls ?? 0);
    const percentileValue = maxOf(seen.percentileValue, c.percentileValue);
    contracts.set(key, {
      ...seen,
      ...(calls === undefined ? {} : { calls }),
      violations: seen.violations + c.violations,
      worst: Math.max(seen.worst, c.worst),
      ...(percentileValue === undefined ? {} : { percentileValue }),
    });
  }
  const all: PerformanceViolation[] = [...older.violations, ...newer.violations];
  const kept = all.slice(0, MAX_STORED_VIOLATIONS);
  const dropped = (older.droppedViolations ?? 0) + (newer.droppedViolations ?? 0) + (all.length - kept.length);
  const pids = [...new Set([...(older.pids ?? [older.pid]), ...(newer.pids ?? [newer.pid])])];
  return {
    schemaVersion: 1,
    generatedAt: newer.generatedAt,
    pid: newer.pid,
    node: newer.node,
    pids,
    contracts: [...contracts.values()],
    violations: kept,
    ...(dropped > 0 ? { droppedViolations: dropped } : {}),
  };
}
