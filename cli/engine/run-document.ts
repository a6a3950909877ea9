/**
 * What a standard run and an A/B run share: the loop over compiled bench files (progress around each,
 * a file that did not compile reported as such) and the results document they write.
 */
import type { CompiledBench } from "./compile";
import { currentCommit } from "./git";
import { machineFingerprint } from "./machine";
import type { FileOutcome } from "./run-file";
import type { AgainstRun, BenchResult, FileFailure, PerformanceViolation, RunOptions, RunResults } from "./types";

/** Violations kept per contract: enough to show and to score (points saturate far below this). */
const VIOLATIONS_KEPT_PER_CONTRACT = 100;

export interface Collected<T extends FileOutcome> {
  readonly results: BenchResult[];
  readonly violations: PerformanceViolation[];
  readonly fileFailures: FileFailure[];
  readonly outcomes: T[];
}

/** Runs each compiled file in turn (never two at once: they would compete for the CPU). */
export async function runEachFile<T extends FileOutcome>(
  compiled: readonly CompiledBench[],
  opts: RunOptions,
  earlierFailures: readonly FileFailure[],
  runOne: (file: string, entry: string) => Promise<T>,
): Promise<Collected<T>> {
  const collected: Collected<T> = { results: [], violations: [], fileFailures: [...earlierFailures], outcomes: [] };
  for (const [index, c] of compiled.entries()) {
    opts.onProgress?.({ type: "file-start", file: c.file, index, total: compiled.length });
    if (c.entry === undefined) {
      const failure = c.failure ?? { file: c.file, kind: "compile" as const, message: "not compiled" };
      collected.fileFailures.push(failure);
      opts.onProgress?.({ type: "file-done", file: c.file, failure });
      continue;
    }
    const outcome = await runOne(c.file, c.entry);
    collected.outcomes.push(outcome);
    collected.results.push(...outcome.results);
    collected.violations.push(...outcome.violations);
    if (outcome.failure !== undefined) collected.fileFailures.push(outcome.failure);
    opts.onProgress?.({ type: "file-done", file: c.file, ...(outcome.failure === undefined ? {} : { failure: outcome.failure }) });
  }
  return collected;
}

/** The results document of a run (`.choragen/results/latest.json`), its violations capped per contract. */
export function runDocument(root: string, opts: RunOptions, collected: Collected<FileOutcome>, against?: AgainstRun): RunResults {
  const { kept, omitted, byContract } = capViolations(collected.violations);
  const commit = currentCommit(root);
  return {
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    ...(commit === undefined ? {} : { commit }),
    machine: machineFingerprint(),
    quick: opts.quick === true,
    ...(opts.abProcess === true ? { ab: true } : {}),
    ...(opts.filter === undefined ? {} : { filter: opts.filter.source }),
    results: collected.results,
    fileFailures: collected.fileFailures,
    violations: kept,
    ...(against === undefined ? {} : { against }),
    ...(omitted > 0 ? { violationsOmitted: omitted, violationsOmittedByContract: byContract } : {}),
  };
}

function capViolations(all: readonly PerformanceViolation[]): { kept: PerformanceViolation[]; omitted: number; byContract: Record<string, number> } {
  const perContract = new Map<string, number>();
  const kept: PerformanceViolation[] = [];
  // No prototype: a contract id is user text (a timer name), "__proto__" included.
  const byContract: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const v of all) {
    const n = perContract.get(v.contractId) ?? 0;
    perContract.set(v.contractId, n + 1);
    if (n < VIOLATIONS_KEPT_PER_CONTRACT) kept.push(v);
    else byContract[v.contractId] = (byContract[v.contractId] ?? 0) + 1;
  }
  return { kept, omitted: all.length - kept.length, byContract };
}

