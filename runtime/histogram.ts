/**
 * A fixed-size log-linear histogram (HdrHistogram's layout, simplified): each power of two is split into
 * 64 equal sub-buckets, so a bucket is at most 1/64 of its lower bound wide and its midpoint is within
 * 1/128 (0.78 %) of any value in it. The bucket comes straight from the bits of the IEEE-754 double
 * (exponent and top 6 mantissa bits): no logarithm, no allocation, no branch on the value's size.
 *
 * Values are recorded in "ticks" (value * scale): for latency the scale turns milliseconds into
 * nanoseconds, so the range is 1 ns .. 2^48 ns (78 hours); below 1 tick is one underflow bucket,
 * above the range is clamped into the last bucket. 1 + 48 * 64 = 3073 counters, 24 KB per histogram.
 */
const SUB_BITS = 6;
const SUB_BUCKETS = 1 << SUB_BITS;
const EXPONENTS = 48;
export const BUCKETS = 1 + EXPONENTS * SUB_BUCKETS;
const LAST = BUCKETS - 1;
/** Mantissa bits of a double held in its high 32-bit word, minus the sub-bucket bits. */
const MANTISSA_SHIFT = 20 - SUB_BITS;

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
// Which 32-bit word holds the sign/exponent depends on the machine's byte order.
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

export function bucketOf(ticks: number): number {
  if (!(ticks >= 1)) return 0; // also NaN and negative growth
  scratch[0] = ticks;
  const high = words[HIGH] as number;
  const exponent = (high >>> 20) - 1023;
  if (exponent >= EXPONENTS) return LAST;
  return 1 + (exponent << SUB_BITS) + ((high >>> MANTISSA_SHIFT) & (SUB_BUCKETS - 1));
}

/** [lower, upper) of a bucket, in ticks. */
export function bucketBounds(index: number): readonly [number, number] {
  if (index <= 0) return [0, 1];
  const exponent = (index - 1) >> SUB_BITS;
  const sub = (index - 1) & (SUB_BUCKETS - 1);
  const base = 2 ** exponent;
  const lower = base * (1 + sub / SUB_BUCKETS);
  return [lower, index === LAST ? Infinity : base * (1 + (sub + 1) / SUB_BUCKETS)];
}

export class Histogram {
  /** Float64 so counts stay exact up to 2^53 calls (Uint32 would wrap after 4 billion). */
  private readonly counts = new Float64Array(BUCKETS);
  total = 0;

  constructor(readonly scale: number) {}

  /** Records one value given in the caller's unit (ms or bytes). */
  record(value: number): void {
    const index = bucketOf(value * this.scale);
    this.counts[index] = (this.counts[index] as number) + 1;
    this.total++;
  }

  /** Nearest-rank position (1-based) of percentile `p` among `total` values. */
  static rank(p: number, total: number): number {
    // The epsilon keeps 99.9 % of 1000 at rank 999 despite 99.9 * 1000 / 100 = 999.0000000000001.
    return Math.max(1, Math.ceil((p * total) / 100 - 1e-9));
  }

  /**
   * Estimated value at nearest rank `rank`, in the caller's unit. `limit` and `above` carry what the
   * caller knows exactly (whether that value is above `limit`), so the estimate never contradicts it
   * when `limit` falls inside the bucket.
   */
  valueAtRank(rank: number, limit?: number, above?: boolean): number {
    if (this.total === 0) return 0;
    let index = LAST;
    // Percentile contracts ask for high ranks: counting down from the top visits fewer buckets.
    let seen = 0;
    const fromTop = this.total - rank + 1;
    for (; index > 0; index--) {
      seen += this.counts[index] as number;
      if (seen >= fromTop) break;
    }
    let [lower, upper] = bucketBounds(index);
    if (upper === Infinity) upper = lower;
    if (limit !== undefined && above !== undefined) {
      const limitTicks = limit * this.scale;
      if (above && limitTicks >= lower) lower = Math.min(limitTicks, upper);
      if (!above && limitTicks < upper) upper = Math.max(limitTicks, lower);
    }
    return (lower + upper) / 2 / this.scale;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }

  /** The non-empty buckets as flat `[index, count, index, count, …]`: what a report carries across processes. */
  sparse(): number[] {
    const out: number[] = [];
    const counts = this.counts;
    for (let i = 0; i < BUCKETS; i++) if ((counts[i] as number) > 0) out.push(i, counts[i] as number);
    return out;
  }

  /** Adds the buckets of another histogram of the same scale (from `sparse()`); malformed pairs are skipped. */
  addSparse(buckets: readonly number[]): void {
    for (let i = 0; i + 1 < buckets.length; i += 2) {
      const index = buckets[i] as number;
      const count = buckets[i + 1] as number;
      if (!Number.isInteger(index) || index < 0 || index >= BUCKETS || !(count > 0) || !Number.isFinite(count)) continue;
      this.counts[index] = (this.counts[index] as number) + count;
      this.total += count;
    }
  }
}

/** A percentile says little over a handful of calls: no violation before this many samples. */
export const MIN_PERCENTILE_SAMPLES = 10;

/**
 * Below 100 / (100 - p) samples the nearest-rank p-th percentile is the maximum, so one stall would decide it:
 * a p99 contract is judged from its 100th call on, a p95 from its 20th, and never before MIN_PERCENTILE_SAMPLES.
 */
export function minimumSamples(percentile: number): number {
  return percentile >= 100 ? MIN_PERCENTILE_SAMPLES : Math.max(MIN_PERCENTILE_SAMPLES, Math.ceil(100 / (100 - percentile) - 1e-9));
}
