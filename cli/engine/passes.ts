import { mergePasses } from "./pool";
import { runFile, type FileOutcome } from "./run-file";
import type { RunOptions } from "./types";

/**
 * Standard mode measures each bench file in two processes, half the blocks in each, and pools them.
 * Each process gets its own JIT decisions: now and then one compiles a function into code that is
 * 1.5–2× slower for its whole life (seen on about 1 process in 15 on a busy machine). One process
 * alone cannot know; the fastest of two is right unless both are unlucky. When both were, and the
 * pooled result would fail the build (`opts.thirdPass`: it looks like a regression), the benches in
 * question get a third process before the verdict; see docs/regressions.md for what that changes.
 */
export async function runFilePasses(file: string, entry: string, opts: RunOptions): Promise<FileOutcome> {
  if (opts.quick === true) return runFile(file, entry, opts, 4, true);
  const first = await runFile(file, entry, opts, 4, false);
  if (first.failure !== undefined) {
    for (const r of first.results) opts.onProgress?.({ type: "bench-done", result: r });
    return first;
  }
  // What threw, hung or crashed once is reported as such, not given a second chance to hang.
  const failed = first.results.filter((r) => r.stats === undefined).map((r) => r.id);
  const third = opts.thirdPass;
  const second = await nextPass(file, entry, opts, first, failed, third === undefined);
  if (third === undefined) return second;
  const selected = second.failure === undefined ? second.results.filter((r) => r.stats !== undefined && third.select(r)).map((r) => r.id) : [];
  if (selected.length > 0) opts.onProgress?.({ type: "third-pass", file, ids: selected, reason: third.reason });
  const others = second.results.map((r) => r.id).filter((id) => !selected.includes(id));
  const outcome = selected.length === 0 ? second : await nextPass(file, entry, opts, second, others, false);
  for (const r of outcome.results) opts.onProgress?.({ type: "bench-done", result: r });
  return outcome;
}

/** One more process for the benches not in `skip`, pooled with what `earlier` measured. */
async function nextPass(
  file: string,
  entry: string,
  opts: RunOptions,
  earlier: FileOutcome,
  skip: readonly string[],
  report: boolean,
): Promise<FileOutcome> {
  const before = new Map(earlier.results.map((r) => [r.id, r]));
  if (report) for (const id of skip) opts.onProgress?.({ type: "bench-done", result: before.get(id)! });
  const next = await runFile(file, entry, opts, 4, report, (r) => mergePasses(before.get(r.id), r), skip);
  const merged = new Map(next.results.map((r) => [r.id, r]));
  return {
    results: earlier.results.map((r) => merged.get(r.id) ?? r),
    violations: [...earlier.violations, ...next.violations],
    ...(next.failure === undefined ? {} : { failure: next.failure }),
  };
}
