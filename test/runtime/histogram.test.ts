import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BUCKETS, Histogram, bucketBounds, bucketOf } from "../../runtime/histogram";
import { mulberry32 } from "../../cli/engine/statistics";

/** Deterministic PRNG, so a failure reproduces. */
const random = mulberry32;

function exactRank(sorted: readonly number[], p: number): number {
  return sorted[Histogram.rank(p, sorted.length) - 1] as number;
}

describe("histogram buckets", () => {
  it("puts every value from 1 ns to 24 hours in a bucket that contains it, at most 1/64 wide", () => {
    const next = random(1);
    for (let i = 0; i < 20_000; i++) {
      const ticks = 2 ** (next() * Math.log2(24 * 3600 * 1e9)); // log-uniform over 1 ns .. 24 h
      const [lower, upper] = bucketBounds(bucketOf(ticks));
      assert.ok(lower <= ticks && ticks < upper, `${ticks} not in [${lower}, ${upper})`);
      assert.ok((upper - lower) / lower <= 1 / 64 + 1e-12);
      const mid = (lower + upper) / 2;
      assert.ok(Math.abs(mid - ticks) / ticks <= 1 / 128 + 1e-12, `midpoint error for ${ticks}`);
    }
  });

  it("is monotone and uses bucket 0 for values below one tick, NaN and negatives", () => {
    let previous = 0;
    for (let ticks = 1; ticks < 1e7; ticks *= 1.003) {
      const index = bucketOf(ticks);
      assert.ok(index >= previous);
      previous = index;
    }
    for (const value of [0, 0.5, -3, Number.NaN]) assert.equal(bucketOf(value), 0);
    assert.equal(bucketOf(1), 1);
  });

  it("clamps values past the range into the last bucket instead of growing", () => {
    assert.equal(bucketOf(2 ** 60), BUCKETS - 1);
    assert.equal(bucketOf(Infinity), BUCKETS - 1);
    assert.equal(bucketBounds(BUCKETS - 1)[1], Infinity);
    assert.ok(bucketBounds(BUCKETS - 2)[1] >= 72 * 3600 * 1e9, "range covers at least 72 hours in ns");
  });
});

describe("Histogram percentiles", () => {
  it("estimates percentiles of latency samples within 1 % of the exact nearest-rank value", () => {
    const next = random(7);
    const histogram = new Histogram(1e6); // milliseconds in, nanosecond ticks
    const samples: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      // A skewed distribution: mostly sub-millisecond, a tail into seconds.
      const ms = next() < 0.9 ? 0.01 + next() * 0.5 : 5 + next() ** 3 * 4000;
      samples.push(ms);
      histogram.record(ms);
    }
    samples.sort((a, b) => a - b);
    assert.equal(histogram.total, samples.length);
    for (const p of [1, 25, 50, 75, 90, 95, 99, 99.9, 100]) {
      const exact = exactRank(samples, p);
      const estimate = histogram.valueAtRank(Histogram.rank(p, samples.length));
      assert.ok(Math.abs(estimate - exact) / exact <= 0.01, `p${p}: ${estimate} vs ${exact}`);
    }
  });

  it("computes nearest ranks without floating-point surprises", () => {
    assert.equal(Histogram.rank(95, 20), 19);
    assert.equal(Histogram.rank(99.9, 1000), 999);
    assert.equal(Histogram.rank(50, 1), 1);
    assert.equal(Histogram.rank(100, 7), 7);
    assert.equal(Histogram.rank(0.0001, 10), 1);
  });

  it("never contradicts what the caller knows about the limit", () => {
    const histogram = new Histogram(1e6);
    // 2.0001 ms and 1.9999 ms share a bucket with the 2 ms limit.
    for (let i = 0; i < 10; i++) histogram.record(2.0001);
    assert.ok(histogram.valueAtRank(10, 2, true) > 2);
    const below = new Histogram(1e6);
    for (let i = 0; i < 10; i++) below.record(1.9999);
    assert.ok(below.valueAtRank(10, 2, false) <= 2);
  });

  it("resets to empty", () => {
    const histogram = new Histogram(1);
    histogram.record(100);
    histogram.reset();
    assert.equal(histogram.total, 0);
    assert.equal(histogram.valueAtRank(1), 0);
  });
});
