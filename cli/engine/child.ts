/**
 * Runs one compiled bench file: loads it (which declares its benchmarks), then measures each with
 * mitata and streams results to the parent as they finish. Started by runner.ts with `--expose-gc`.
 */
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getHeapStatistics } from "node:v8";
import { registry, type RegisteredBench } from "../../bench/registry";
import type { ChildMessage, ChildTask, DeclaredBench, PairedMeasurement, PairTask } from "./protocol";
import { interleave, pairedLogRatio, plainTimed, returnsPromise } from "./ab/interleave";
import { TASK_ENV } from "./protocol";
import { type BlockMeasurement, poolBlocks } from "./pool";
import { median } from "./statistics";
import type { BenchStats } from "./types";

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** This module's TypeScript sources: with source maps on, our frames are named after them (dist/cli/engine → cli/engine). */
const OWN_SOURCES = path.resolve(__dirname, "..", "..", "..", "cli", "engine") + path.sep;

/** Message plus where in the user's code it was thrown (first stack frame outside node and mitata). */
export function describeError(error: unknown, root: string = process.cwd()): string {
  if (!(error instanceof Error)) return `threw a non-Error value: ${String(error)}`;
  const head = `${error.name}: ${error.message}`;
  for (const line of (error.stack ?? "").split("\n").slice(1)) {
    const frame = line.trim();
    if (!frame.startsWith("at ")) continue;
    const location = /\(([^()]+:\d+:\d+)\)$/.exec(frame)?.[1] ?? /^at (.+:\d+:\d+)$/.exec(frame)?.[1];
    if (location === undefined || location.startsWith("node:")) continue;
    const file = location.startsWith("file://") ? fileURLToPath(location.replace(/:\d+:\d+$/, "")) + location.slice(location.search(/:\d+:\d+$/)) : location;
    if (file.includes(`${path.sep}mitata${path.sep}`) || file.startsWith(path.dirname(__filename) + path.sep) || file.startsWith(OWN_SOURCES)) continue;
    const rel = path.relative(root, file);
    return `${head} (at ${rel.startsWith("..") || path.isAbsolute(rel) ? file : rel.split(path.sep).join("/")})`;
  }
  return head;
}

/** Samples per benchmark at the least, over all blocks: enough for the rank test to have power. */
const MIN_SAMPLES = 20;

/**
 * mitata times fast functions in batches (4096 calls per sample by default). On a shared machine a
 * long sample almost always contains some interference (a preemption, a busy hyper-thread sibling),
 * which inflates every sample alike and hides in the statistics; short samples (~20 µs) let many
 * of them run undisturbed, so the fastest ones show the code, not the neighbours. Calls up to
 * 5 µs are batched (batch size from the warmup's per-call time), longer ones are timed one by one
 * (the timer's ~50 ns is then under 1%).
 */
const TARGET_SAMPLE_NS = 20_000;
const BATCH_THRESHOLD_NS = TARGET_SAMPLE_NS / 4;

export function batchSize(perCallNs: number): number {
  if (!(perCallNs > 0)) return 4096;
  return Math.max(4, Math.min(4096, Math.floor(TARGET_SAMPLE_NS / perCallNs / 4) * 4));
}

/**
 * The measurement is split into blocks run one after the other (their medians show drift over the
 * run), and in standard mode over two processes (runner.ts): 8 blocks in all, 4 in quick mode.
 */
const TOTAL_BLOCKS = { quick: 4, standard: 8 };
/** Measuring time per benchmark (ns of CPU), as mitata's default. */
const CPU_TIME = { quick: 30e6, standard: 642e6 };

function blockOptions(quick: boolean, perCallNs: number, ab = false): Record<string, unknown> {
  const mode = quick ? "quick" : "standard";
  return {
    heap: (): number => getHeapStatistics().used_heap_size,
    min_samples: Math.ceil(MIN_SAMPLES / TOTAL_BLOCKS[mode]) + 4,
    min_cpu_time: ab ? AB_BLOCK_CPU_NS : CPU_TIME[mode] / TOTAL_BLOCKS[mode],
    batch_samples: batchSize(perCallNs),
    batch_threshold: BATCH_THRESHOLD_NS,
    ...(quick ? { max_samples: 60 } : {}),
  };
}

/**
 * A fixed workload, timed between the blocks of every benchmark. Its fastest time tells how fast the
 * machine itself was meanwhile: if it is 2× slower than when the baseline was taken, so is
 * everything else, and that is not the code's fault. Two parts, because a busy neighbour slows
 * arithmetic (a shared core) and memory work (shared caches) differently: integer hashing over a
 * preallocated buffer, and a JSON round trip of a small fixed array. Samples are short (~20 µs) so
 * that some run undisturbed.
 */
const calibrationBytes = new Uint8Array(1024).map((_, i) => (i * 7919) & 0xff);
const calibrationRows = Array.from({ length: 16 }, (_, i) => ({ id: i, name: `row ${i}`, ok: i % 2 === 0 }));
function calibrationWorkload(): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < calibrationBytes.length; i++) h = Math.imul(h ^ calibrationBytes[i]!, 0x01000193);
  const rows = JSON.parse(JSON.stringify(calibrationRows)) as unknown[];
  return (h ^ rows.length) >>> 0;
}
const CALIBRATION_OPTIONS = {
  quick: { min_samples: 8, min_cpu_time: 2e6, batch_samples: 4, gc: false },
  standard: { min_samples: 8, min_cpu_time: 10e6, batch_samples: 4, gc: false },
};

/**
 * A/B rounds pair two processes measured moments apart, so the machine's speed cancels without the
 * calibration workload; many short processes beat few long ones (each is an independent draw of the
 * JIT's decisions), so warmup and measurement are short: 20 ms and one 50 ms block (a standard
 * process spends 100 ms and 4 × 80 ms).
 */
const AB_WARMUP_CPU_NS = 20e6;
const AB_BLOCK_CPU_NS = 50e6;

async function measureInBlocks(fn: () => unknown, quick: boolean, blockCount: number, perCallNs: number, calibrate = true): Promise<BenchStats> {
  const mitata = await import("mitata");
  const measured: BlockMeasurement[] = [];
  let calibration = Number.POSITIVE_INFINITY;
  for (let i = 0; i < blockCount; i++) {
    if (calibrate) {
      const c = await mitata.measure(calibrationWorkload, CALIBRATION_OPTIONS[quick ? "quick" : "standard"]);
      calibration = Math.min(calibration, c.min);
    }
    const s = await mitata.measure(fn, blockOptions(quick, perCallNs, !calibrate));
    measured.push({ samples: s.samples, p50: s.p50, ...(s.heap === undefined ? {} : { heapAvg: s.heap.avg }) });
  }
  return poolBlocks(measured, calibration);
}

function killOwnGroup(): void {
  try {
    if (process.platform !== "win32") process.kill(-process.pid, "SIGKILL");
  } catch {
    // Not a group leader (started some other way): the process alone.
  }
  process.kill(process.pid, "SIGKILL");
}

function declare(benches: readonly RegisteredBench[]): DeclaredBench[] {
  return benches.map((b) => ({
    id: b.id,
    name: b.name,
    ...(b.group === undefined ? {} : { group: b.group }),
    ...(b.budget === undefined ? {} : { budget: b.budget }),
  }));
}

/** Loads one side's compiled bench file and takes the benches it declared out of the shared registry. */
async function loadSide(entry: string): Promise<RegisteredBench[]> {
  const reg = registry();
  reg.benches.length = 0;
  reg.groups.length = 0;
  await import(pathToFileURL(entry).href);
  return reg.benches.splice(0);
}

/**
 * What a block says about its side (benches timed in mitata blocks, see below): the median of its
 * fastest quarter of samples. Interference only adds time; the fast quarter is what ran undisturbed.
 */
export function blockFastTime(sorted: readonly number[]): number {
  return median(sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 4))));
}

const sortedCopy = (xs: readonly number[]): number[] => [...xs].sort((p, q) => p - q);
const AB_SAMPLE_NS = 20_000;
/** Pairs measured at the least per bench and process, however slow a call. */
const AB_MIN_PAIRS = 8;

/**
 * Side-by-side mode: both sides' files in this one process, each with its own module instances
 * (they are different files: the ref's compiled tree and the working tree's) and its own closures.
 * Each common bench is timed in alternating samples (ab/interleave.ts). Which side is loaded, warmed
 * and sampled first alternates from process to process (task.pair.aFirst). Benches that cannot be
 * timed by plain calls (async, generators with parameters) are timed in alternating mitata blocks of
 * a few milliseconds; a max_samples unique to each side and bench gives each its own mitata loop
 * (mitata compiles one per call from its options' text, and V8 reuses code for identical text).
 */
async function runPaired(task: ChildTask, pair: PairTask): Promise<void> {
  let benchesA: RegisteredBench[] = [];
  let benchesB: RegisteredBench[] = [];
  const order: readonly ("A" | "B")[] = pair.aFirst ? ["A", "B"] : ["B", "A"];
  // The process starts in the working tree's folder; the ref's file loads in the ref's folder, so a
  // bench that reads a fixture by a relative path at load time reads its own side's.
  const rootB = process.cwd();
  for (const side of order) {
    try {
      process.chdir(side === "A" ? pair.rootA : rootB);
      if (side === "A") benchesA = await loadSide(pair.entryA);
      else benchesB = await loadSide(task.entry);
    } catch (error) {
      await send({ type: "load-error", message: describeError(error), ...(side === "A" ? { side: "A" as const } : {}) });
      process.exit(1);
    }
  }
  const filter = task.filter === undefined ? undefined : new RegExp(task.filter.source, task.filter.flags);
  const pick = (list: readonly RegisteredBench[]): RegisteredBench[] => list.filter((b) => filter === undefined || filter.test(b.id));
  process.chdir(rootB);
  benchesA = pick(benchesA);
  benchesB = pick(benchesB);
  await send({ type: "loaded-a", benches: declare(benchesA) });
  await send({ type: "loaded", benches: declare(benchesB) });
  const skip = new Set(task.skip);
  for (const [index, b] of benchesB.entries()) {
    const a = benchesA.find((x) => x.id === b.id);
    if (a === undefined || skip.has(b.id)) continue;
    await send({ type: "start", id: b.id });
    try {
      const measurement = await measurePair(a.fn, b.fn, b.id, index, pair, order);
      await send({ type: "paired", measurement });
    } catch (error) {
      await send({ type: "error", id: b.id, message: describeError(error) });
    }
  }
  await send({ type: "finished" });
  process.exit(0);
}

async function measurePair(fnA: () => unknown, fnB: () => unknown, id: string, index: number, pair: PairTask, order: readonly ("A" | "B")[]): Promise<PairedMeasurement> {
  const plainA = plainTimed(fnA);
  const plainB = plainTimed(fnB);
  if (plainA !== undefined && plainB !== undefined && !returnsPromise(plainA.timed) && !returnsPromise(plainB.timed)) {
    try {
      const s = interleave(plainA.timed, plainB.timed, {
        aFirst: pair.aFirst,
        warmupNs: pair.warmupNs,
        measureNs: pair.measureNs,
        minPairs: AB_MIN_PAIRS,
        sampleNs: AB_SAMPLE_NS,
        tag: `${index} ${id}`,
      });
      const a = sortedCopy(s.a);
      const b = sortedCopy(s.b);
      return {
        id,
        a: poolBlocks([{ samples: a, p50: a[a.length >> 1]! }], Number.NaN),
        b: poolBlocks([{ samples: b, p50: b[b.length >> 1]! }], Number.NaN),
        difference: pairedLogRatio(s),
        pairs: s.a.length,
        timing: s.clock === "cpu" ? "interleaved-cpu" : "interleaved",
      };
    } finally {
      plainA.teardown();
      plainB.teardown();
    }
  }
  plainA?.teardown();
  plainB?.teardown();
  const mitata = await import("mitata");
  const fns = { A: fnA, B: fnB };
  const loopId = { A: 2 * index, B: 2 * index + 1 };
  const perCall: number[] = [];
  for (const side of order) {
    const warm = await mitata.measure(fns[side], { min_samples: 4, max_samples: 1000 - loopId[side], min_cpu_time: pair.warmupNs, gc: false });
    perCall.push(warm.p50);
  }
  // One batch size for both sides, so both are timed the same way.
  const batch = batchSize(Math.sqrt(perCall[0]! * perCall[1]!));
  const blocks: Record<"A" | "B", BlockMeasurement[]> = { A: [], B: [] };
  const ratios: number[] = [];
  const blockNs = pair.measureNs / AB_MIN_PAIRS;
  for (let j = 0; j < AB_MIN_PAIRS; j++) {
    const fast: Partial<Record<"A" | "B", number>> = {};
    for (const side of j % 2 === 0 ? order : [order[1]!, order[0]!]) {
      const s = await mitata.measure(fns[side], { min_samples: 4, max_samples: 1e9 - loopId[side], min_cpu_time: blockNs, batch_samples: batch, batch_threshold: BATCH_THRESHOLD_NS, gc: false });
      blocks[side].push({ samples: s.samples, p50: s.p50 });
      fast[side] = blockFastTime(s.samples);
    }
    ratios.push(Math.log(fast.B! / fast.A!));
  }
  return { id, a: poolBlocks(blocks.A, Number.NaN), b: poolBlocks(blocks.B, Number.NaN), difference: median(ratios), pairs: ratios.length, timing: "blocks" };
}

async function main(): Promise<void> {
  // The CLI that started us is gone (killed outright: no signal reached us) and nobody will read what we
  // measure. Stop at once, without the exit hook writing a violations report into the temp folder for nobody.
  // The runner made us a process group leader: take whatever the bench file started down with us.
  process.once("disconnect", () => killOwnGroup());
  const task = JSON.parse(process.env[TASK_ENV] ?? "null") as ChildTask | null;
  if (task === null) throw new Error(`${TASK_ENV} is not set: this module is started by the choragen runner`);
  if (task.pair !== undefined) return runPaired(task, task.pair);
  try {
    await import(pathToFileURL(task.entry).href);
  } catch (error) {
    await send({ type: "load-error", message: describeError(error) });
    process.exit(1);
  }
  const filter = task.filter === undefined ? undefined : new RegExp(task.filter.source, task.filter.flags);
  const selected = registry().benches.filter((b) => filter === undefined || filter.test(b.id));
  const declared: DeclaredBench[] = selected.map((b) => ({
    id: b.id,
    name: b.name,
    ...(b.group === undefined ? {} : { group: b.group }),
    ...(b.budget === undefined ? {} : { budget: b.budget }),
  }));
  await send({ type: "loaded", benches: declared });
  const skip = new Set(task.skip);
  const mitata = await import("mitata");
  for (const b of selected) {
    if (skip.has(b.id)) continue;
    await send({ type: "start", id: b.id });
    try {
      // Warmup: let the JIT settle on optimised code before the measured run.
      const warm = await mitata.measure(b.fn, { min_samples: 4, max_samples: task.quick ? 50 : 1000, min_cpu_time: task.quick ? 5e6 : task.ab === true ? AB_WARMUP_CPU_NS : 100e6 });
      const stats = await measureInBlocks(b.fn, task.quick, task.blocks, warm.p50, task.ab !== true);
      await send({ type: "done", id: b.id, stats });
    } catch (error) {
      await send({ type: "error", id: b.id, message: describeError(error) });
    }
  }
  await send({ type: "finished" });
  // exit() (not a natural end) so a bench that left timers or sockets open cannot keep us alive;
  // the runtime writes CHORAGEN_PERF_REPORT from its exit hook.
  process.exit(0);
}

main().catch(async (error: unknown) => {
  await send({ type: "load-error", message: describeError(error) });
  process.exit(1);
});
