/**
 * `perf:bench --against <ref>`: the benches of the working tree (B) and of the ref (A), measured in
 * the same run. Per bench file: first one short process of the working tree alone (its violations,
 * heap figures, and the benches that are new), then rounds of one process holding both sides
 * (child.ts, side-by-side mode), each measuring the benches still undecided in alternating short
 * blocks. From the sixth round on every bench is judged on its per-round differences
 * (ab/paired.ts); one whose interval is clear of the threshold stops being measured. The others go
 * on while the time budget lasts (ab/schedule.ts). A bench on one side only is reported as new or
 * removed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CompiledBench } from "../compile";
import { discoverBenchFiles } from "../discover";
import { choragenDir, toPosixRelative } from "../paths";
import { mergePasses } from "../pool";
import { writeLatestResults } from "../results";
import { runDocument, runEachFile } from "../run-document";
import { runFile, type FileOutcome } from "../run-file";
import { DEFAULT_TIMEOUT_MS, describeExit, runChild } from "../supervise";
import type { PairedMeasurement } from "../protocol";
import type { AbBench, AbStopReason, BenchResult, RunOptions, RunResults } from "../types";
import { decidePaired, processFastTime } from "./paired";
import { AB_MAX_ROUNDS, AB_MEASURE_NS, AB_MIN_ROUNDS, AB_WARMUP_NS, budgetNs, firstSide, pairedRoundNs, type Side } from "./schedule";
import { prepareWorktree, type PreparedRef } from "./worktree";

export interface AgainstOptions extends RunOptions {
  /** The git ref whose code is the A side. */
  readonly against: string;
}

export async function runAgainst(opts: AgainstOptions): Promise<RunResults> {
  const started = Date.now();
  const prepared = await prepareWorktree(opts.root, opts.against);
  const { include, exclude = [] } = opts.config.benchmarks;
  const filesB = discoverBenchFiles(opts.root, include, exclude);
  const filesA = discoverBenchFiles(prepared.root, include, exclude);
  // Both sides are compiled the same way: today's compiler, transformer and config (contract defaults).
  const configFile = path.join(choragenDir(opts.root), "performance.yaml");
  const configPath = fs.existsSync(configFile) ? { configPath: configFile } : {};
  const compile = filesA.length + filesB.length === 0 ? () => [] as CompiledBench[] : (await import("../compile.js")).compileBenchFiles;
  const compiledB = compile(filesB, { root: opts.root, ...configPath });
  const compiledA = new Map(compile(filesA, { root: prepared.root, ...configPath }).map((c) => [c.file, c]));
  const compiledCount = compiledB.length + compiledA.size;
  opts.onProgress?.({ type: "compile", files: compiledCount, cached: compiledB.filter((c) => c.cached).length + [...compiledA.values()].filter((c) => c.cached).length });

  const counter = { processes: 0 };
  const collected = await runEachFile(compiledB, opts, [], async (file, entryB) => {
    const outcome = await runPairedFile(file, compiledA.get(file), entryB, prepared, opts, counter);
    for (const r of outcome.results) opts.onProgress?.({ type: "bench-done", result: r });
    return outcome;
  });
  const run = runDocument(opts.root, opts, collected, {
    ref: prepared.ref,
    commit: prepared.commit,
    worktree: toPosixRelative(opts.root, prepared.worktree),
    ...(prepared.changedLockfiles === undefined ? {} : { changedLockfiles: prepared.changedLockfiles }),
    benches: collected.outcomes.flatMap((o) => o.benches),
    removedFiles: filesA.filter((f) => !filesB.includes(f)),
    wallMs: Date.now() - started,
    processes: counter.processes,
  });
  writeLatestResults(opts.root, run);
  return run;
}

interface PairedOutcome extends FileOutcome {
  readonly benches: AbBench[];
}

interface Sampled {
  readonly fastA: number[];
  readonly fastB: number[];
  readonly firsts: Side[];
  readonly differences: number[];
  readonly pairs: number[];
  a?: BenchResult["stats"];
  b?: BenchResult["stats"];
  error?: string;
  stop?: AbStopReason;
}

const newSampled = (): Sampled => ({ fastA: [], fastB: [], firsts: [], differences: [], pairs: [] });

async function runPairedFile(
  file: string,
  compiledA: CompiledBench | undefined,
  entryB: string,
  prepared: PreparedRef,
  opts: AgainstOptions,
  counter: { processes: number },
): Promise<PairedOutcome> {
  const optsB: RunOptions = { ...opts, abProcess: true };
  const threshold = opts.config.benchmarks.regressionThreshold;
  // The working tree alone: its violations (a process holding both sides would mix the ref's in),
  // its heap per iteration, and the benches that exist only here.
  const own = await runFile(file, entryB, optsB, 1, false);
  counter.processes++;
  const idsB = own.results.map((r) => r.id);
  const resultsB = new Map(own.results.map((r) => [r.id, r]));
  const failureA = compiledA === undefined ? undefined : compiledA.entry === undefined ? (compiledA.failure?.message ?? "not compiled") : undefined;
  const benchOnlyB = (why: AbStopReason, aError?: string): PairedOutcome => ({
    results: own.results,
    violations: own.violations,
    benches: idsB.map((id) => ({ file, id, sides: compiledA === undefined ? "B" : "both", ...(aError === undefined ? {} : { aError }), fastA: [], fastB: [], firsts: [], stop: compiledA === undefined ? "one-side" : why })),
    ...(own.failure === undefined ? {} : { failure: own.failure }),
  });
  if (compiledA === undefined) return benchOnlyB("one-side");
  if (failureA !== undefined) return benchOnlyB("failed", failureA);
  if (own.failure?.kind === "load") return benchOnlyB("failed");

  // The ref's benches run in the ref's folder: a bench that reads a fixture by a relative path reads the ref's.
  const optsRef: RunOptions = { ...opts, root: prepared.root };
  const timeoutMs = opts.config.benchmarks.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sampled = new Map<string, Sampled>();
  let idsA: string[] | undefined;
  let loadErrorA: string | undefined;
  // A bench that failed on the B side alone is not paired.
  let active = idsB.filter((id) => resultsB.get(id)?.stats !== undefined);
  const budget = budgetNs(idsB.length);
  let spent = 0;
  for (let round = 0; round < AB_MAX_ROUNDS && active.length > 0; round++) {
    const cost = pairedRoundNs(active.length);
    if (round >= AB_MIN_ROUNDS && spent + cost > budget) {
      for (const id of active) sampled.get(id)!.stop = "time-cap";
      break;
    }
    spent += cost;
    opts.onProgress?.({ type: "ab-round", file, round: round + 1, benches: active.length });
    const measured = new Map<string, PairedMeasurement>();
    const errors = new Map<string, string>();
    const skip = idsB.filter((id) => !active.includes(id));
    const attempt = await runChild(
      entryB,
      skip,
      1,
      opts,
      timeoutMs,
      (message) => {
        if (message.type === "loaded-a") idsA ??= message.benches.map((b) => b.id);
        else if (message.type === "paired") measured.set(message.measurement.id, message.measurement);
        else if (message.type === "error") errors.set(message.id, message.message);
        else if (message.type === "start") opts.onProgress?.({ type: "bench-start", file, id: message.id });
      },
      { entryA: compiledA.entry!, rootA: prepared.root, aFirst: firstSide(round) === "A", warmupNs: AB_WARMUP_NS, measureNs: AB_MEASURE_NS },
    );
    counter.processes++;
    if (attempt.loadError !== undefined) {
      loadErrorA = attempt.loadError;
      break;
    }
    if (!attempt.finished && attempt.current !== undefined) errors.set(attempt.current, describeExit(attempt, timeoutMs));
    if (idsA === undefined) {
      loadErrorA = `the process holding both sides ${describeExit(attempt, timeoutMs)} while loading`;
      break;
    }
    for (const id of active) {
      const s = sampled.get(id) ?? newSampled();
      sampled.set(id, s);
      if (!idsA.includes(id)) {
        s.stop = "one-side";
        continue;
      }
      const error = errors.get(id);
      const m = measured.get(id);
      if (error !== undefined || m === undefined) {
        s.error = error ?? "not measured";
        s.stop = "failed";
        continue;
      }
      s.differences.push(m.difference);
      s.pairs.push(m.pairs);
      s.fastA.push(processFastTime(m.a));
      s.fastB.push(processFastTime(m.b));
      s.firsts.push(firstSide(round));
      s.a = s.a === undefined ? m.a : mergePasses({ file, id, name: id, stats: s.a }, { file, id, name: id, stats: m.a }).stats;
      s.b = s.b === undefined ? m.b : mergePasses({ file, id, name: id, stats: s.b }, { file, id, name: id, stats: m.b }).stats;
      if (s.fastA.length < AB_MIN_ROUNDS) continue;
      if (decidePaired(s.differences, threshold).settled) s.stop = "settled";
    }
    active = active.filter((id) => sampled.get(id)?.stop === undefined);
    if (!attempt.finished && attempt.current === undefined) {
      loadErrorA = `the process holding both sides ${describeExit(attempt, timeoutMs)} between benchmarks`;
      break;
    }
  }
  for (const id of active) {
    const s = sampled.get(id);
    if (s !== undefined && s.stop === undefined) s.stop = loadErrorA === undefined ? "round-cap" : "failed";
  }

  // Benches only at the ref: measured once on their own for the report's A side ("removed").
  const onlyA = (idsA ?? []).filter((id) => !idsB.includes(id));
  const removedStats = new Map<string, BenchResult>();
  if (onlyA.length > 0) {
    const outcome = await runFile(file, compiledA.entry!, { ...optsRef, abProcess: true }, 1, false, (r) => r, idsB);
    counter.processes++;
    for (const r of outcome.results) removedStats.set(r.id, r);
  }

  const results: BenchResult[] = [];
  const benches: AbBench[] = [];
  for (const id of idsB) {
    const s = sampled.get(id) ?? newSampled();
    const own = resultsB.get(id)!;
    // The working tree's result: its own process (heap, violations) pooled with its paired blocks.
    results.push(s.b === undefined ? own : mergePasses(own, { ...own, stats: s.b }));
    const onBoth = idsA === undefined ? loadErrorA === undefined : idsA.includes(id);
    const aError = s.a === undefined ? (s.error ?? loadErrorA) : undefined;
    benches.push({
      file,
      id,
      sides: onBoth ? "both" : "B",
      ...(s.a === undefined ? {} : { a: s.a }),
      ...(aError === undefined ? {} : { aError }),
      fastA: s.fastA,
      fastB: s.fastB,
      firsts: s.firsts,
      ...(s.differences.length === 0 ? {} : { differences: s.differences, pairs: s.pairs }),
      stop: !onBoth ? "one-side" : (s.stop ?? (own.stats === undefined || loadErrorA !== undefined ? "failed" : "round-cap")),
    });
  }
  for (const id of onlyA) {
    const r = removedStats.get(id);
    benches.push({
      file,
      id,
      sides: "A",
      ...(r?.stats === undefined ? {} : { a: r.stats }),
      ...(r?.error === undefined ? {} : { aError: r.error }),
      fastA: [],
      fastB: [],
      firsts: [],
      stop: "one-side",
    });
  }
  return { results, violations: own.violations, benches, ...(own.failure === undefined ? {} : { failure: own.failure }) };
}
