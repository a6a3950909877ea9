/**
 * Statistics of a side-by-side (A/B) measurement: rounds of one process per side, in alternating
 * order (A B, B A, …). Each round gives one paired difference d = ln(B / A) of the two processes'
 * fast times; rounds are independent (fresh processes, fresh JIT decisions), the two processes of a
 * round share the machine's state of that moment, so the drift of the machine cancels in d.
 *
 * The change and its interval are the Hodges–Lehmann estimate and the exact Wilcoxon signed-rank
 * confidence interval of the shift of d (Hollander & Wolfe, ch. 3): distribution-free, exact for
 * any n (no normal approximation below 60 rounds), valid when d is symmetric about its centre. It
 * is, under the null that A and B are the same code: the two processes of a round are then
 * exchangeable, and swapping which one is called A flips the sign of d. The coverage is checked by
 * simulation in test/engine/ab-paired.test.ts, on skewed and heavy-tailed noise too.
 */

import { fastestPart, median, normalUpperTail } from "../statistics";
import type { BenchStats, PairedChange } from "../types";

/**
 * What one process says about a bench: the median of its fastest 2.5% of samples (about its 1st
 * percentile). Interference only adds time, so the fast end shows the code; the median of a dozen
 * fast samples is steadier than the single fastest one, which one lucky or mis-timed sample sets.
 */
export function processFastTime(stats: BenchStats): number {
  return median(fastestPart(stats.sampleSet));
}

/** Rounds beyond which the signed-rank distribution is approximated by the normal (the exact one is O(n³)). */
const EXACT_MAX_ROUNDS = 60;

/**
 * P(T⁺ ≤ t) for t = 0 … n(n+1)/2 under the null: T⁺ is the sum of a random subset of 1…n, each
 * subset equally likely. Counts by dynamic programming, divided by 2ⁿ.
 */
export function signedRankCdf(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    for (let t = (k * (k + 1)) / 2; t >= k; t--) counts[t]! += counts[t - k]!;
  }
  const cdf = new Float64Array(max + 1);
  const total = 2 ** n;
  let running = 0;
  for (let t = 0; t <= max; t++) {
    running += counts[t]!;
    cdf[t] = running / total;
  }
  return cdf;
}

const cdfCache = new Map<number, Float64Array>();
function cachedCdf(n: number): Float64Array {
  let cdf = cdfCache.get(n);
  if (cdf === undefined) {
    cdf = signedRankCdf(n);
    cdfCache.set(n, cdf);
  }
  return cdf;
}

/** Standard normal quantile (Acklam's rational approximation; within 2e-5 here, used only past 60 rounds). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549671010115819, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * How many of the lowest (and, mirrored, of the highest) Walsh averages a confidence interval at
 * `confidence` leaves out: the largest k with P(T⁺ ≤ k − 1) ≤ (1 − confidence) / 2. 0 when even
 * the widest interval (the smallest to the largest Walsh average) is not that sure: too few rounds.
 * Also returns the confidence the interval actually has (the discrete distribution's, ≥ asked).
 */
export function signedRankCutoff(n: number, confidence: number): { readonly k: number; readonly achieved: number } {
  const tail = (1 - confidence) / 2;
  if (n <= 0) return { k: 0, achieved: 0 };
  if (n > EXACT_MAX_ROUNDS) {
    const m = (n * (n + 1)) / 4;
    const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
    const k = Math.max(0, Math.floor(m + normalQuantile(tail) * sd + 0.5));
    return { k, achieved: confidence };
  }
  const cdf = cachedCdf(n);
  let k = 0;
  while (k < cdf.length && cdf[k]! <= tail) k++;
  return { k, achieved: k === 0 ? 0 : 1 - 2 * cdf[k - 1]! };
}

export interface ShiftInterval {
  /** Hodges–Lehmann estimate of the shift (the median of the Walsh averages). */
  readonly estimate: number;
  /** Bounds; infinite when the rounds are too few for an interval at the confidence asked. */
  readonly low: number;
  readonly high: number;
  /** The confidence the interval has (exact, ≥ the one asked; 0 when unbounded). */
  readonly confidence: number;
}

function walshAverages(d: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.length; i++) for (let j = i; j < d.length; j++) out.push((d[i]! + d[j]!) / 2);
  return out.sort((x, y) => x - y);
}

/** Hodges–Lehmann estimate and exact signed-rank confidence interval of the centre of `d`. */
export function signedRankInterval(d: readonly number[], confidence: number): ShiftInterval {
  if (d.length === 0) return { estimate: Number.NaN, low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY, confidence: 0 };
  const walsh = walshAverages(d);
  const mid = walsh.length >> 1;
  const estimate = walsh.length % 2 === 1 ? walsh[mid]! : (walsh[mid - 1]! + walsh[mid]!) / 2;
  const { k, achieved } = signedRankCutoff(d.length, confidence);
  if (k === 0) return { estimate, low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY, confidence: 0 };
  return { estimate, low: walsh[k - 1]!, high: walsh[walsh.length - k]!, confidence: achieved };
}

/**
 * Exact one-sided p-values of the Wilcoxon signed-rank test of "no shift" (zeros dropped, average
 * ranks for ties in |d|, which makes it approximate only when ties occur; timings rarely tie).
 */
export function signedRankTest(d: readonly number[]): { readonly pGreater: number; readonly pLess: number } {
  const nonzero = d.filter((x) => x !== 0);
  const n = nonzero.length;
  if (n === 0) return { pGreater: 1, pLess: 1 };
  const byAbs = nonzero.map((x) => ({ x, a: Math.abs(x) })).sort((p, q) => p.a - q.a);
  let tPlus = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && byAbs[j + 1]!.a === byAbs[i]!.a) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (byAbs[k]!.x > 0) tPlus += rank;
    i = j + 1;
  }
  const max = (n * (n + 1)) / 2;
  if (n > EXACT_MAX_ROUNDS) {
    const m = max / 2;
    const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
    return { pGreater: normalUpperTail((tPlus - m - 0.5) / sd), pLess: normalUpperTail((m - tPlus - 0.5) / sd) };
  }
  const cdf = cachedCdf(n);
  // P(T⁺ ≥ t) = 1 − P(T⁺ ≤ ceil(t) − 1); by symmetry P(T⁺ ≤ t) for the other side.
  const atMost = (t: number): number => (t < 0 ? 0 : t >= max ? 1 : cdf[Math.floor(t)]!);
  return { pGreater: Math.min(1, 1 - atMost(Math.ceil(tPlus) - 1)), pLess: Math.min(1, atMost(tPlus)) };
}

export const toPct = (logRatio: number): number => (Math.exp(logRatio) - 1) * 100;
export const fromPct = (pct: number): number => Math.log1p(pct / 100);

export type PairedVerdict = "regression" | "improvement" | "unchanged";

/** Why sampling stopped for a bench. */
export type StopReason =
  /** The interval lies wholly above the threshold, wholly below −threshold, or wholly between them. */
  | "settled"
  /** The interval still straddles ±threshold at the last round allowed (maxRounds, or the time cap). */
  | "round-cap"
  | "time-cap"
  /** The bench failed on one side; nothing to pair. */
  | "failed";

/** The change (Hodges–Lehmann estimate, B vs A), its interval and that interval's exact confidence: PairedChange. */
export interface PairedDecision extends PairedChange {
  readonly verdict: PairedVerdict;
  /** Exact one-sided signed-rank p-value of "no change", in the direction of the estimate. */
  readonly pValue: number;
  /**
   * True when more rounds cannot turn the verdict into a regression or out of one: the interval lies
   * wholly above +threshold (a regression), or wholly below it (no regression; an improvement too
   * when also below −threshold). A gate needs no more; an improvement still undecided is not worth
   * the rounds.
   */
  readonly settled: boolean;
}

/** The interval's confidence. 95%: the threshold is the margin that keeps false alarms far below 2.5% (measured in the tests). */
export const AB_CONFIDENCE = 0.95;

/**
 * The verdict on paired log differences: a regression when the whole interval lies above
 * `thresholdPct`, an improvement when it lies below −`thresholdPct`, else unchanged. `settled` tells
 * the sampler it may stop: the interval is wholly on one side of the threshold.
 */
export function decidePaired(d: readonly number[], thresholdPct: number, confidence: number = AB_CONFIDENCE): PairedDecision {
  const interval = signedRankInterval(d, confidence);
  const lowPct = toPct(interval.low);
  const highPct = toPct(interval.high);
  const changePct = toPct(interval.estimate);
  const test = signedRankTest(d);
  const verdict: PairedVerdict = lowPct > thresholdPct ? "regression" : highPct < -thresholdPct ? "improvement" : "unchanged";
  return {
    verdict,
    changePct,
    lowPct,
    highPct,
    confidence: interval.confidence,
    pValue: changePct >= 0 ? test.pGreater : test.pLess,
    rounds: d.length,
    settled: interval.confidence > 0 && (lowPct > thresholdPct || highPct < thresholdPct),
  };
}
