/**
 * The statistics behind regression detection. Pure functions over sample arrays (ns).
 *
 * Why a rank test: benchmark samples are skewed with a long right tail (GC, preemption, another
 * tenant on the machine), so a t-test on means is moved by a handful of outliers; the Mann–Whitney U
 * test only looks at the order of samples and is not. See docs/regressions.md.
 */

/** Standard normal upper tail, Q(z) = 1 − Φ(z), via erfc (Numerical Recipes' erfcc: |rel err| < 1.2e-7). */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export interface MannWhitney {
  /** U statistic of `b` (the count of pairs where b's sample is larger, ties counting ½). */
  readonly u: number;
  /** One-sided p-value for "b tends to be larger than a" (slower, when b is the current run). */
  readonly pGreater: number;
  /** One-sided p-value for "b tends to be smaller than a". */
  readonly pLess: number;
  /** Common-language effect size: P(b > a) + ½ P(b = a). */
  readonly effect: number;
}

/**
 * Mann–Whitney U test with average ranks for ties, the tie-corrected variance and a continuity
 * correction; normal approximation (our sample sets have ≥ 12 values per side).
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): MannWhitney {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: 0, pGreater: 1, pLess: 1, effect: 0.5 };
  const all: { v: number; fromB: boolean }[] = [];
  for (const v of a) all.push({ v, fromB: false });
  for (const v of b) all.push({ v, fromB: true });
  all.sort((x, y) => x.v - y.v);
  const n = n1 + n2;
  let rankSumB = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    if (t > 1) tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]!.fromB) rankSumB += rank;
    i = j + 1;
  }
  const u = rankSumB - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const effect = u / (n1 * n2);
  if (variance <= 0) return { u, pGreater: 1, pLess: 1, effect };
  const sd = Math.sqrt(variance);
  const pGreater = normalUpperTail((u - mean - 0.5) / sd);
  const pLess = normalUpperTail((mean - u - 0.5) / sd);
  return { u, pGreater: Math.min(1, pGreater), pLess: Math.min(1, pLess), effect };
}

/** Deterministic PRNG (mulberry32): the same inputs always give the same interval and verdict. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type ShiftVerdict = "regression" | "improvement" | "unchanged";

export interface ShiftDecision {
  readonly verdict: ShiftVerdict;
  /** Change of the fastest time (min), percent: what the verdict is about. */
  readonly changePct: number;
  /** The same, relative to the calibration workload measured alongside (equal to changePct without one). */
  readonly normalizedChangePct: number;
  /** Change of the calibration workload's fastest time, percent (0 without one): how much the machine moved. */
  readonly calibrationChangePct: number;
  /**
   * How well the fastest parts of the two runs are separated, in the direction of the change: the
   * Mann–Whitney normal-approximation tail computed on the fastest 2.5% of each stored sample set.
   * Those values are quantiles of one run, not independent samples, so this is a separation criterion
   * (below DEFAULT_ALPHA: at most about one crossing at 12 against 12 values), not a p-value; the
   * report's p-value and interval are computed on the processes (exact-rank.ts).
   */
  readonly separation: number;
}

/** The separation the fastest parts must reach (see ShiftDecision.separation). Strict on purpose: a false alarm fails a build. */
export const DEFAULT_ALPHA = 0.001;

export interface ShiftInput {
  /** Fastest sample, ns. */
  readonly min: number;
  /** Sorted sample set (ns). */
  readonly samples: readonly number[];
  /** Fastest time of the fixed calibration workload measured between the blocks of this benchmark. */
  readonly calibration?: number;
}

/**
 * The fastest 2.5% of a sorted sample set (at least 8 values): the undisturbed part of a run. (A
 * tenth and a twentieth were tried: on a busy machine they reach into disturbed samples and lose
 * detections, see docs/regressions.md.)
 */
export function fastestPart(sorted: readonly number[]): readonly number[] {
  return sorted.slice(0, Math.min(sorted.length, Math.max(8, Math.floor(sorted.length / 40))));
}

/**
 * How far above the fastest sample the rest of the fastest 2.5% reach, percent. A run that had
 * undisturbed moments has many samples near its fastest (within 8% in 294 of the 312 three-process
 * runs of the third evaluation, docs/regressions.md); one that had only a handful spreads them out
 * (the other 18: 10–106%), and the rank test can then not tell a real change from noise against it.
 */
export function undisturbedSpreadPct(sorted: readonly number[]): number {
  const part = fastestPart(sorted);
  const first = part[0];
  const last = part[part.length - 1];
  return first === undefined || last === undefined || first <= 0 ? 0 : (last / first - 1) * 100;
}

/** Above this undisturbedSpreadPct a run is too disturbed to show a slowdown of the threshold's size. */
export const NOISY_SPREAD_PCT = 10;

/**
 * How far the calibration may move between two runs and still be taken as the machine's own change of
 * speed (a host that got busier, a frequency step) rather than a disturbed reading of its own.
 */
export const CALIBRATION_TRUST_PCT = 10;

/**
 * Interference on a shared machine only ever adds time, so the fastest samples are the ones that
 * show the code rather than the neighbours. Between two runs the machine itself also changes speed,
 * and the calibration workload timed alongside the benchmark measures that. A regression needs:
 *
 * - When the calibration moved by at most CALIBRATION_TRUST_PCT (the machine drifted): the fastest
 *   time *divided by the calibration* slower by more than `thresholdPct`, the fastest time itself
 *   slower by more than half of it, and a one-sided Mann–Whitney U test on the fastest 2.5% of the
 *   calibrated sample sets at level `alpha`. A machine 6% slower during the baseline hides half of
 *   a 10% slowdown from the raw times; calibrated, it shows. The raw half-threshold keeps a
 *   calibration reading a few percent off from making a slowdown out of nothing.
 * - When it moved further, the calibration itself may be the disturbed reading: the fastest time
 *   slower by more than `thresholdPct`, the rank test on the raw fastest 2.5%, and the calibration
 *   must not account for the change: it does when it moved the same way and, divided out, leaves a
 *   change within ±`thresholdPct` (the whole machine was slower during one run, code and calibration
 *   alike). A calibration that moved far more than the benchmark (+44% beside a benchmark at its
 *   usual speed) cannot be "the machine was slower": that would need the code to have got faster by
 *   as much, so it only vetoes when it explains the change.
 *
 * Improvements mirror it. The evaluations behind each part are in docs/regressions.md.
 */
export function decideShift(
  baseline: ShiftInput,
  current: ShiftInput,
  thresholdPct: number,
  alpha: number = DEFAULT_ALPHA,
  calibrationTrustPct: number = CALIBRATION_TRUST_PCT,
): ShiftDecision {
  const changePct = baseline.min > 0 ? (current.min / baseline.min - 1) * 100 : 0;
  const baseCal = baseline.calibration ?? 0;
  const currentCal = current.calibration ?? 0;
  const calibrated = baseCal > 0 && currentCal > 0 && baseline.min > 0;
  const normalizedChangePct = calibrated ? ((current.min / currentCal) / (baseline.min / baseCal) - 1) * 100 : changePct;
  const calibrationChangePct = calibrated ? (currentCal / baseCal - 1) * 100 : 0;
  const decided = (verdict: ShiftVerdict, separation: number): ShiftDecision => ({ verdict, changePct, normalizedChangePct, calibrationChangePct, separation });
  if (calibrated && Math.abs(calibrationChangePct) <= calibrationTrustPct) {
    const scaled = (samples: readonly number[], by: number): number[] => fastestPart(samples).map((x) => x / by);
    const test = mannWhitney(scaled(baseline.samples, baseCal), scaled(current.samples, currentCal));
    const half = thresholdPct / 2;
    if (normalizedChangePct > thresholdPct && changePct > half && test.pGreater < alpha) return decided("regression", test.pGreater);
    if (normalizedChangePct < -thresholdPct && changePct < -half && test.pLess < alpha) return decided("improvement", test.pLess);
    return decided("unchanged", normalizedChangePct >= 0 ? test.pGreater : test.pLess);
  }
  const machineAccounts = calibrated && Math.sign(calibrationChangePct) === Math.sign(changePct) && Math.abs(normalizedChangePct) <= thresholdPct;
  const test = mannWhitney(fastestPart(baseline.samples), fastestPart(current.samples));
  if (changePct > thresholdPct && !machineAccounts && test.pGreater < alpha) return decided("regression", test.pGreater);
  if (changePct < -thresholdPct && !machineAccounts && test.pLess < alpha) return decided("improvement", test.pLess);
  return decided("unchanged", changePct >= 0 ? test.pGreater : test.pLess);
}

/**
 * The q-quantile of ascending values, without interpolation (the value at rank floor(q·(n−1))): every
 * percentile the engine stores and reports is read this way, so p50 of pooled blocks and of pooled
 * processes mean the same thing.
 */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** At most `max` values, evenly spaced over the sorted input (keeps min and max): the stored sample set. */
export function boundedSampleSet(sorted: readonly number[], max = 512): number[] {
  if (sorted.length <= max) return [...sorted];
  const out: number[] = [];
  for (let i = 0; i < max; i++) out.push(sorted[Math.round((i * (sorted.length - 1)) / (max - 1))]!);
  return out;
}
