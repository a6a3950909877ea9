/**
 * One bench file in child processes until every bench in it is settled: a bench that hangs past the
 * timeout or takes its process down is reported by name, and a fresh child runs the benches after it.
 */
import { effectiveBudget } from "./budgets";
import type { DeclaredBench } from "./protocol";
import { DEFAULT_TIMEOUT_MS, describeExit, runChild } from "./supervise";
import { EngineError, type BenchResult, type FileFailure, type PerformanceViolation, type RunOptions } from "./types";

export interface FileOutcome {
  readonly results: BenchResult[];
  readonly violations: PerformanceViolation[];
  readonly failure?: FileFailure;
}

export async function runFile(
  file: string,
  entry: string,
  opts: RunOptions,
  blocks: number,
  report: boolean,
  finish: (result: BenchResult) => BenchResult = (r) => r,
  skipIds: readonly string[] = [],
): Promise<FileOutcome> {
  const timeoutMs = opts.config.benchmarks.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const done = new Map<string, BenchResult>();
  const violations: PerformanceViolation[] = [];
  let declared: readonly DeclaredBench[] | undefined;
  const resultFor = (id: string, extra: Partial<BenchResult>): BenchResult => {
    const d = declared?.find((b) => b.id === id);
    const name = d?.name ?? id;
    const budget = effectiveBudget(id, name, d?.budget, opts.config.benchmarks.budgets);
    return {
      file,
      name,
      ...(d?.group === undefined ? {} : { group: d.group }),
      id,
      ...(budget === undefined ? {} : { budget, fileBudget: d?.budget ?? {} }),
      ...extra,
    };
  };
  const record = (raw: BenchResult): void => {
    const result = finish(raw);
    done.set(result.id, result);
    if (report) opts.onProgress?.({ type: "bench-done", result });
  };
  // Each attempt runs the benches not yet settled; one more attempt per bench that took its child down.
  for (let attemptNo = 0; ; attemptNo++) {
    const attempt = await runChild(entry, [...skipIds, ...done.keys()], blocks, opts, timeoutMs, (message) => {
      if (message.type === "loaded") declared ??= message.benches;
      else if (message.type === "start") opts.onProgress?.({ type: "bench-start", file, id: message.id });
      else if (message.type === "done") record(resultFor(message.id, { stats: message.stats }));
      else if (message.type === "error") record(resultFor(message.id, { error: message.message }));
    });
    violations.push(...attempt.violations);
    if (attempt.reportProblem !== undefined) {
      // Nothing is written: results without the violations the benches recorded would pass a check they fail.
      throw new EngineError(`${file}: the performance report its bench process left is malformed: ${attempt.reportProblem}; is the @choragen/perf the benches load the same version as the CLI?`, file);
    }
    if (attempt.loadError !== undefined) {
      return { results: [...done.values()], violations, failure: { file, kind: "load", message: attempt.loadError } };
    }
    if (attempt.finished) break;
    const how = describeExit(attempt, timeoutMs);
    if (attempt.current === undefined) {
      const failure: FileFailure = {
        file,
        kind: attempt.timedOut ? "timeout" : "crash",
        message: `${attempt.declared === undefined ? "while loading" : "between benchmarks"}: ${how}`,
      };
      return { results: [...done.values()], violations, failure };
    }
    record(
      resultFor(attempt.current, {
        error: attempt.timedOut ? how : `${how} while this benchmark ran`,
        ...(attempt.timedOut ? { timedOut: true } : {}),
      }),
    );
    if (declared === undefined || attemptNo > declared.length) break;
    if (declared.every((b) => done.has(b.id) || skipIds.includes(b.id))) break;
  }
  const ordered = (declared ?? []).map((b) => done.get(b.id)).filter((r): r is BenchResult => r !== undefined);
  return { results: ordered, violations };
}
