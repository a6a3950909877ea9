/**
 * Side-by-side timing inside one process (child.ts, side-by-side mode): both sides' functions of a
 * bench timed in alternating short samples, A B, B A, A B, …, each sample tens of microseconds
 * long, so a pair of samples sees the same state of the machine (the neighbour on the other core, its
 * pressure on the shared cache and memory, the CPU's clock). Each pair gives one ratio; the round's
 * difference is the median of the pairs' ln(B / A): a sample that a preemption or a GC pause fell
 * into moves one pair, not the estimate.
 *
 * Each side is timed by a loop compiled for it alone (its own source text, so V8 shares neither code
 * nor type feedback between the sides: one side's function is never inlined into the other's loop).
 * Which side goes first alternates from pair to pair and, through `aFirst`, from process to process.
 */
import { performance } from "node:perf_hooks";

export type Timed = () => unknown;

/** A loop timing `n` calls of one function, ns per call. */
type Sampler = (n: number) => number;

/** A clock in ns. */
type Clock = () => number;
const wallClock: Clock = () => performance.now() * 1e6;
/**
 * The process's CPU time (user + system, all threads: on Linux the sum is exact, not sampled at the
 * tick). A call of milliseconds on a busy machine is preempted more often than not, and the wall
 * clock then times the neighbours; CPU time leaves the preempted stretches out. It costs about a
 * microsecond a reading, so it is used only for calls of a millisecond and more.
 */
const cpuClock: Clock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
};
/** Calls at least this long (ns) are timed one by one on the CPU clock. */
export const CPU_CLOCK_FROM_NS = 1e6;

function compileSampler(fn: Timed, tag: string, now: Clock): Sampler {
  // The tag makes the source text, and so the compiled function, unique to its side and bench.
  const make = new Function(
    "fn",
    "now",
    `"use strict"; /* ${tag.replace(/\*\//g, "")} */ return function sample(n) { const t0 = now(); for (let i = 0; i < n; i++) fn(); return (now() - t0) / n; };`,
  ) as (fn: Timed, now: Clock) => Sampler;
  return make(fn, now);
}

const GeneratorFunction = function* () {}.constructor;
const AsyncGeneratorFunction = async function* () {}.constructor;
const AsyncFunction = async function () {}.constructor;

/**
 * The function to time, when the bench allows timing by plain calls: a synchronous function, or a
 * generator that sets up and yields one (its teardown is returned). Undefined for the rest (async
 * functions, async generators, generators yielding parameters): those are timed in mitata blocks.
 */
export function plainTimed(fn: () => unknown): { readonly timed: Timed; readonly teardown: () => void } | undefined {
  if (fn instanceof AsyncFunction || fn instanceof AsyncGeneratorFunction) return undefined;
  if (fn instanceof GeneratorFunction) {
    const gen = fn() as Generator<unknown, unknown, unknown>;
    const first = gen.next();
    if (first.done === true || typeof first.value !== "function" || (first.value as Timed).length > 0 || first.value instanceof AsyncFunction) {
      gen.return(undefined);
      return undefined;
    }
    return { timed: first.value as Timed, teardown: () => void gen.next() };
  }
  return { timed: fn, teardown: () => undefined };
}

/** Whether a call returns a promise (then it is not timed by plain calls). */
export function returnsPromise(fn: Timed): boolean {
  const r = fn() as { then?: unknown } | null | undefined;
  return r !== null && typeof r === "object" && typeof r.then === "function";
}

export interface InterleaveOptions {
  /** Which side samples first in the first pair (alternated by the runner from process to process). */
  readonly aFirst: boolean;
  /** Warmup per side, ns of samples, in alternating pairs too. */
  readonly warmupNs: number;
  /** Measuring time per side, ns. */
  readonly measureNs: number;
  /** The least pairs measured, however slow a call. */
  readonly minPairs: number;
  /** A sample's target length, ns (calls are batched up to it). */
  readonly sampleNs: number;
  /** Unique text per bench for the compiled loops. */
  readonly tag: string;
}

export interface InterleavedSamples {
  /** Per pair, ns per call on each side, paired by index. */
  readonly a: number[];
  readonly b: number[];
  /** What timed them: the wall clock, or (calls of a millisecond and more) the process's CPU time. */
  readonly clock: "wall" | "cpu";
}

/** Times `fnA` and `fnB` in alternating samples. */
export function interleave(fnA: Timed, fnB: Timed, options: InterleaveOptions): InterleavedSamples {
  let sample = { A: compileSampler(fnA, `A ${options.tag}`, wallClock), B: compileSampler(fnB, `B ${options.tag}`, wallClock) };
  const first: readonly ("A" | "B")[] = options.aFirst ? ["A", "B"] : ["B", "A"];
  const second: readonly ("A" | "B")[] = options.aFirst ? ["B", "A"] : ["A", "B"];
  // Warmup, also alternating, so both sides reach the same tier of the JIT by the same calls; it
  // also tells the time per call, from which one batch size for both sides follows.
  let n = 1;
  let spent = 0;
  let perCall = Number.POSITIVE_INFINITY;
  for (let j = 0; spent < 2 * options.warmupNs || j < 4; j++) {
    for (const side of j % 2 === 0 ? first : second) {
      const t = sample[side](n);
      spent += t * n;
      perCall = Math.min(perCall, t);
    }
    // Grow the batch while a sample is far under its target: a call of a few ns must be batched.
    if (perCall * n < options.sampleNs / 4 && n < 1 << 16) n *= 2;
  }
  n = Math.max(1, Math.min(1 << 16, Math.round(options.sampleNs / Math.max(perCall, 1))));
  const clock = perCall >= CPU_CLOCK_FROM_NS ? "cpu" : "wall";
  if (clock === "cpu") sample = { A: compileSampler(fnA, `A cpu ${options.tag}`, cpuClock), B: compileSampler(fnB, `B cpu ${options.tag}`, cpuClock) };
  const a: number[] = [];
  const b: number[] = [];
  spent = 0;
  for (let j = 0; spent < 2 * options.measureNs || j < options.minPairs; j++) {
    for (const side of j % 2 === 0 ? first : second) {
      const t = sample[side](n);
      spent += t * n;
      (side === "A" ? a : b).push(t);
    }
  }
  return { a, b, clock };
}

/** The median of the pairs' ln(B / A). */
export function pairedLogRatio(s: InterleavedSamples): number {
  const r = s.a.map((x, j) => Math.log(s.b[j]! / x)).sort((p, q) => p - q);
  const mid = r.length >> 1;
  return r.length % 2 === 1 ? r[mid]! : (r[mid - 1]! + r[mid]!) / 2;
}
