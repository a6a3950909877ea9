/**
 * Exact two-sample rank statistics for a handful of independent values per side: the per-process
 * fast times of a stored baseline (3 processes) and of a run (2–3). The Mann–Whitney U null
 * distribution is counted exactly, so the p-value and the Hodges–Lehmann interval of the shift are
 * what their names say for any sizes, however few; with 3 against 3 the smallest one-sided p is
 * 1/20 and the surest interval is 90%, and the report says so rather than pretending to more.
 */

/** P(U ≤ u) for u = 0 … m·n, U the Mann–Whitney count for sides of m and n values, no ties. */
export function mannWhitneyCdf(m: number, n: number): Float64Array {
  // ways[i][j][u]: arrangements of i + j values with U = u; built up one value at a time.
  let prev: Float64Array[] = Array.from({ length: n + 1 }, () => {
    const row = new Float64Array(m * n + 1);
    row[0] = 1;
    return row;
  });
  for (let i = 1; i <= m; i++) {
    const next: Float64Array[] = [];
    for (let j = 0; j <= n; j++) {
      const row = new Float64Array(m * n + 1);
      // The largest value is from the first side (it beats all j of the second: U grows by j) or from the second.
      const fromA = prev[j]!;
      for (let u = j; u <= m * n; u++) row[u]! += fromA[u - j]!;
      if (j > 0) {
        const fromB = next[j - 1]!;
        for (let u = 0; u <= m * n; u++) row[u]! += fromB[u]!;
      }
      next.push(row);
    }
    prev = next;
  }
  const counts = prev[n]!;
  const total = counts.reduce((s, x) => s + x, 0);
  const cdf = new Float64Array(counts.length);
  let running = 0;
  for (let u = 0; u < counts.length; u++) {
    running += counts[u]!;
    cdf[u] = running / total;
  }
  return cdf;
}

export interface RankShift {
  /** Hodges–Lehmann estimate of ln(b / a): the median of all pairwise differences. */
  readonly estimate: number;
  /** Exact interval of the shift; ±Infinity when the sides are too small for the confidence asked. */
  readonly low: number;
  readonly high: number;
  /** The interval's exact confidence (0 when unbounded). */
  readonly confidence: number;
  /** Exact one-sided p-values of "b is not larger" and "b is not smaller". */
  readonly pGreater: number;
  readonly pLess: number;
}

/**
 * The shift of `b` against `a` on a log scale (values > 0), with the exact Mann–Whitney p-values and
 * the exact interval at `confidence` (or, when the sides are too small for it, the surest interval
 * they allow, if `widest` is set).
 */
export function exactRankShift(a: readonly number[], b: readonly number[], confidence = 0.95, widest = true): RankShift | undefined {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return undefined;
  const la = a.map(Math.log);
  const lb = b.map(Math.log);
  const diffs: number[] = [];
  let u = 0;
  for (const x of la) {
    for (const y of lb) {
      diffs.push(y - x);
      u += y > x ? 1 : y === x ? 0.5 : 0;
    }
  }
  diffs.sort((p, q) => p - q);
  const mid = diffs.length >> 1;
  const estimate = diffs.length % 2 === 1 ? diffs[mid]! : (diffs[mid - 1]! + diffs[mid]!) / 2;
  const cdf = mannWhitneyCdf(m, n);
  const atMost = (x: number): number => (x < 0 ? 0 : cdf[Math.min(cdf.length - 1, Math.floor(x))]!);
  const pGreater = 1 - atMost(Math.ceil(u) - 1);
  const pLess = atMost(Math.floor(u));
  let k = 0;
  while (k < cdf.length && cdf[k]! <= (1 - confidence) / 2) k++;
  if (k === 0 && widest && cdf[0]! < 0.5) k = 1;
  if (k === 0) return { estimate, low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY, confidence: 0, pGreater, pLess };
  return { estimate, low: diffs[k - 1]!, high: diffs[diffs.length - k]!, confidence: 1 - 2 * cdf[k - 1]!, pGreater, pLess };
}
