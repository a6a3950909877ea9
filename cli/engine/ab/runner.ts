/**
 * `perf:bench --against <ref>`: the benches of the working tree (B) and of the ref (A), measured in
 * the same run. Per bench file, rounds of one short process per side in alternating order (A B, B A,
 * A B, …); after each round from the sixth on, every bench still sampled is judged on its paired
 * differences (ab/paired.ts), and one whose interval is clear of ±threshold stops being measured.
 * The others go on to AB_MAX_ROUNDS. A bench on one side only is measured once and reported as new
 * or removed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CompiledBench } from "../compile";
import { discoverBenchFiles } from "../discover";
import { currentCommit } from "../git";
import { machineFingerprint } from "../machine";
import { choragenDir, toPosixRelative } from "../paths";
import { writeLatestResults } from "../results";
import { capViolations, mergePasses, runFile, type FileOutcome } from "../runner";
import type { AbBench, AbStopReason, BenchResult, FileFailure, PerformanceViolation, RunOptions, RunResults } from "../types";
import { decidePaired, processFastTime } from "./paired";
import { AB_MAX_ROUNDS, AB_MIN_ROUNDS, roundOrder, type Side } from "./schedule";
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

  const results: BenchResult[] = [];
  const fileFailures: FileFailure[] = [];
  const violations: PerformanceViolation[] = [];
  const benches: AbBench[] = [];
  const counter = { processes: 0 };
  for (const [index, b] of compiledB.entries()) {
    opts.onProgress?.({ type: "file-start", file: b.file, index, total: compiledB.length });
    if (b.entry === undefined) {
      const failure = b.failure ?? { file: b.file, kind: "compile" as const, message: "not compiled" };
      fileFailures.push(failure);
      opts.onProgress?.({ type: "file-done", file: b.file, failure });
      continue;
    }
    const a = compiledA.get(b.file);
    const outcome = await runPairedFile(b.file, a, b.entry, prepared, opts, counter);
    results.push(...outcome.results);
    violations.push(...outcome.violations);
    benches.push(...outcome.benches);
    if (outcome.failure !== undefined) fileFailures.push(outcome.failure);
    for (const r of outcome.results) opts.onProgress?.({ type: "bench-done", result: r });
    opts.onProgress?.({ type: "file-done", file: b.file, ...(outcome.failure === undefined ? {} : { failure: outcome.failure }) });
  }
  const { kept, omitted, byContract } = capViolations(violations);
  const commit = currentCommit(opts.root);
  const run: RunResults = {
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    ...(commit === undefined ? {} : { commit }),
    machine: machineFingerprint(),
    quick: false,
    ...(opts.filter === undefined ? {} : { filter: opts.filter.source }),
    results,
    fileFailures,
    violations: kept,
    against: {
      ref: prepared.ref,
      commit: prepared.commit,
      worktree: toPosixRelative(opts.root, prepared.worktree),
      ...(prepared.dependencyNote === undefined ? {} : { dependencyNote: prepared.dependencyNote }),
      benches,
      removedFiles: filesA.filter((f) => !filesB.includes(f)),
      wallMs: Date.now() - started,
      processes: counter.processes,
    },
    ...(omitted > 0 ? { violationsOmitted: omitted, violationsOmittedByContract: byContract } : {}),
  };
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
  a?: BenchResult;
  b?: BenchResult;
  stop?: AbStopReason;
}

async function runPairedFile(
  file: string,
  compiledA: CompiledBench | undefined,
  entryB: string,
  prepared: PreparedRef,
  opts: AgainstOptions,
  counter: { processes: number },
): Promise<PairedOutcome> {
  const optsB: RunOptions = { ...opts, abProcess: true };
  // The ref's benches run in the ref's folder: a bench that reads a fixture by a relative path reads the ref's.
  const optsA: RunOptions = { ...opts, root: prepared.root, abProcess: true };
  const threshold = opts.config.benchmarks.regressionThreshold;
  const sampled = new Map<string, Sampled>();
  const entry = (id: string): Sampled => {
    let s = sampled.get(id);
    if (s === undefined) {
      s = { fastA: [], fastB: [], firsts: [] };
      sampled.set(id, s);
    }
    return s;
  };
  const violations: PerformanceViolation[] = [];
  let idsA: string[] = [];
  let idsB: string[] = [];
  let active: string[] | undefined;
  let failureB: FileFailure | undefined;
  let failureA: string | undefined = compiledA === undefined ? undefined : compiledA.entry === undefined ? (compiledA.failure?.message ?? "not compiled") : undefined;
  // Without a compiled A side (new file, or it does not compile at the ref) the B side is measured as a new bench: two processes.
  const pairable = compiledA?.entry !== undefined;
  const rounds = pairable ? AB_MAX_ROUNDS : 2;

  for (let round = 0; round < rounds; round++) {
    if (active !== undefined && active.length === 0) break;
    opts.onProgress?.({ type: "ab-round", file, round: round + 1, benches: active?.length ?? 0 });
    const measured: Record<Side, Map<string, BenchResult>> = { A: new Map(), B: new Map() };
    const sides = pairable ? roundOrder(round) : (["B"] as const);
    for (const side of sides) {
      const known = side === "A" ? idsA : idsB;
      const skip = active === undefined ? [] : known.filter((id) => !active!.includes(id));
      const outcome = await runFile(file, side === "A" ? compiledA!.entry! : entryB, side === "A" ? optsA : optsB, 1, false, (r) => r, skip);
      counter.processes++;
      for (const r of outcome.results) measured[side].set(r.id, r);
      if (side === "B") violations.push(...outcome.violations);
      if (outcome.failure !== undefined) {
        if (side === "B") failureB = outcome.failure;
        else failureA = outcome.failure.message;
      }
    }
    if (active === undefined) {
      idsA = [...measured.A.keys()];
      idsB = [...measured.B.keys()];
      active = pairable ? idsB.filter((id) => idsA.includes(id)) : idsB;
      // A bench on one side only is measured in this first round and reported as removed or new.
      for (const id of idsA.filter((x) => !idsB.includes(x))) {
        const s = entry(id);
        s.a = measured.A.get(id);
        s.stop = "one-side";
      }
      if (pairable) {
        for (const id of idsB.filter((x) => !idsA.includes(x))) {
          const s = entry(id);
          s.b = measured.B.get(id);
          s.stop = "one-side";
        }
      }
    }
    for (const id of active) {
      const s = entry(id);
      const ra = measured.A.get(id);
      const rb = measured.B.get(id);
      if (rb !== undefined) s.b = mergePasses(s.b, rb);
      if (ra !== undefined) s.a = mergePasses(s.a, ra);
      if (!pairable) continue;
      if (ra?.stats === undefined || rb?.stats === undefined) {
        s.stop = "failed";
        continue;
      }
      s.fastA.push(processFastTime(ra.stats));
      s.fastB.push(processFastTime(rb.stats));
      s.firsts.push(roundOrder(round)[0]);
      if (s.fastA.length < AB_MIN_ROUNDS) continue;
      const d = s.fastA.map((x, i) => Math.log(s.fastB[i]! / x));
      if (decidePaired(d, threshold).settled) s.stop = "settled";
    }
    active = active.filter((id) => sampled.get(id)?.stop === undefined);
    // A side whose file failed as a whole gives nothing more to pair: report what was measured.
    if (failureB !== undefined || failureA !== undefined) break;
  }

  const results: BenchResult[] = [];
  const benches: AbBench[] = [];
  for (const id of idsB) {
    const s = entry(id);
    if (s.b !== undefined) results.push(s.b);
    const onBoth = pairable && idsA.includes(id);
    const aError = s.a?.stats === undefined ? (s.a?.error ?? failureA) : undefined;
    benches.push({
      file,
      id,
      sides: onBoth ? "both" : "B",
      ...(s.a?.stats === undefined ? {} : { a: s.a.stats }),
      ...(aError === undefined ? {} : { aError }),
      fastA: s.fastA,
      fastB: s.fastB,
      firsts: s.firsts,
      stop: !onBoth ? "one-side" : (s.stop ?? (failureA !== undefined || failureB !== undefined ? "failed" : "round-cap")),
    });
  }
  for (const id of idsA.filter((x) => !idsB.includes(x))) {
    const s = entry(id);
    benches.push({
      file,
      id,
      sides: "A",
      ...(s.a?.stats === undefined ? {} : { a: s.a.stats }),
      ...(s.a?.error === undefined ? {} : { aError: s.a.error }),
      fastA: [],
      fastB: [],
      firsts: [],
      stop: "one-side",
    });
  }
  return { results, violations, benches, ...(failureB === undefined ? {} : { failure: failureB }) };
}
