import { Histogram, minimumSamples } from "./histogram";
import { MAX_STORED_VIOLATIONS, state, type SharedState } from "./state";
import type { ContractSummary, PerformanceReport, PerformanceViolation, SampleHistogram } from "./types";
import { fromBase } from "./units";

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
 * becomes one summary with calls and violations summed and the worst value kept. Percentile
 * contracts' histograms are added up; `judgePercentiles` then decides them on all calls together.
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
    const samples = mergeSamples(seen.samples, c.samples);
    contracts.set(key, {
      ...seen,
      ...(calls === undefined ? {} : { calls }),
      violations: seen.violations + c.violations,
      worst: Math.max(seen.worst, c.worst),
      ...(percentileValue === undefined ? {} : { percentileValue }),
      ...(samples === undefined ? {} : { samples }),
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

function mergeSamples(a: SampleHistogram | undefined, b: SampleHistogram | undefined): SampleHistogram | undefined {
  if (a === undefined) return b;
  if (b === undefined || a.scale !== b.scale || a.limit !== b.limit) return a;
  const histogram = new Histogram(a.scale);
  histogram.addSparse(a.buckets);
  histogram.addSparse(b.buckets);
  return { scale: a.scale, limit: a.limit, above: a.above + b.above, buckets: histogram.sparse() };
}

/**
 * Percentile contracts judged on every call of the run. Each process judges only its own calls, so a
 * p95 whose slow calls are spread over two workers can pass in both and fail over all: with the
 * histograms added up, a contract over budget gets exactly one violation (its percentile over all
 * calls, on how many), and one within budget none, whatever the processes decided alone.
 */
export function judgePercentiles(report: PerformanceReport): PerformanceReport {
  const verdicts = new Map<string, PerformanceViolation | null>();
  const contracts = report.contracts.map((c) => {
    if (c.samples === undefined || c.percentile === undefined) return c;
    const histogram = new Histogram(c.samples.scale);
    histogram.addSparse(c.samples.buckets);
    const total = histogram.total;
    if (total === 0) return c;
    const rank = Histogram.rank(c.percentile, total);
    const over = total >= minimumSamples(c.percentile) && total - c.samples.above < rank;
    const value = fromBase(histogram.valueAtRank(rank, c.samples.limit, total - c.samples.above < rank), c.unit);
    const earlier = report.violations.filter((v) => v.contractId === c.contractId && v.percentile !== undefined);
    const last = earlier[earlier.length - 1];
    verdicts.set(
      c.contractId,
      over
        ? {
            contractId: c.contractId,
            kind: c.kind,
            target: c.target,
            file: c.file,
            line: c.line,
            measured: value,
            threshold: c.threshold,
            unit: c.unit,
            percentile: c.percentile,
            timestamp: last?.timestamp ?? Date.parse(report.generatedAt),
            context: { origin: last?.context.origin ?? "inline", async: last?.context.async ?? false, samples: total, pid: last?.context.pid ?? report.pid },
          }
        : null,
    );
    return { ...c, calls: total, violations: over ? 1 : 0, percentileValue: value };
  });
  if (verdicts.size === 0) return report;
  const violations: PerformanceViolation[] = [];
  for (const v of report.violations) {
    if (v.percentile === undefined || !verdicts.has(v.contractId)) violations.push(v);
  }
  for (const verdict of verdicts.values()) if (verdict !== null) violations.push(verdict);
  return { ...report, contracts, violations };
}
