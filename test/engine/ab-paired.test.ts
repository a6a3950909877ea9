import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  AB_CONFIDENCE,
  decidePaired,
  fromPct,
  normalQuantile,
  signedRankCdf,
  signedRankCutoff,
  signedRankInterval,
  signedRankTest,
} from "../../cli/engine/ab/paired";
import { mulberry32 } from "../../cli/engine/statistics";

const gaussian = (random: () => number): number => {
  const u1 = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
};

test("the signed-rank null distribution matches the textbook tables", () => {
  // n = 3: the 8 subsets of {1,2,3} have sums 0,1,2,3,3,4,5,6.
  assert.deepEqual([...signedRankCdf(3)].map((p) => p * 8), [1, 2, 3, 5, 6, 7, 8]);
  // Critical values (two-sided 5%): n = 10 → T ≤ 8 (P = 0.0244), n = 20 → T ≤ 52 (P = 0.0242).
  assert.ok(Math.abs(signedRankCdf(10)[8]! - 0.0244) < 5e-4);
  assert.ok(signedRankCdf(10)[9]! > 0.025);
  assert.ok(Math.abs(signedRankCdf(20)[52]! - 0.0242) < 5e-4);
  assert.equal(signedRankCutoff(10, 0.95).k, 9);
  // Fewer than 6 rounds cannot give a 95% interval at all (2 / 2⁵ = 6.25% > 5%).
  assert.equal(signedRankCutoff(5, 0.95).k, 0);
  assert.equal(signedRankCutoff(6, 0.95).k, 1);
  assert.ok(Math.abs(signedRankCutoff(6, 0.95).achieved - (1 - 2 / 64)) < 1e-12);
});

test("normal quantile is right at known points", () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-6);
  assert.ok(Math.abs(normalQuantile(0.001) + 3.090232) < 1e-4);
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-12);
});

test("a hand-checked interval: Walsh averages of 6 values, the widest 96.9% interval", () => {
  const d = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
  const i = signedRankInterval(d, 0.95);
  assert.ok(Math.abs(i.low - 0.1) < 1e-12 && Math.abs(i.high - 0.6) < 1e-12);
  assert.ok(Math.abs(i.estimate - 0.35) < 1e-12);
  // The exact test: all 6 positive → P(T⁺ ≥ 21) = 1/64.
  assert.ok(Math.abs(signedRankTest(d).pGreater - 1 / 64) < 1e-12);
});

/**
 * Paired differences as the A/B runner sees them: each process's fast time has its own noise, and
 * the difference of two such is what the interval is about. Noise shapes: normal; skewed
 * (interference only adds: exponential); heavy-tailed (1 process in 12 compiled 40% slower, as seen
 * on this machine); plus an order effect (the second process of a round 2% slower) that the
 * alternating order turns into a symmetric one.
 */
type Shape = "normal" | "skewed" | "jit-outliers";
function processNoise(random: () => number, shape: Shape): number {
  switch (shape) {
    case "normal":
      return 0.02 * gaussian(random);
    case "skewed":
      return Math.log1p(0.03 * -Math.log(Math.max(random(), 1e-12)));
    case "jit-outliers":
      return 0.01 * gaussian(random) + (random() < 1 / 12 ? Math.log(1.4) : 0);
  }
}
function pairedDifferences(random: () => number, rounds: number, shiftPct: number, shape: Shape, orderEffect = 0.02): number[] {
  const d: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const bFirst = r % 2 === 1;
    const a = processNoise(random, shape) + (bFirst ? orderEffect : 0);
    const b = fromPct(shiftPct) + processNoise(random, shape) + (bFirst ? 0 : orderEffect);
    d.push(b - a);
  }
  return d;
}

test("coverage by simulation: the 95% interval holds the true change in ≥ 94% of 2000 runs, for every noise shape and round count", () => {
  for (const shape of ["normal", "skewed", "jit-outliers"] as const) {
    for (const rounds of [6, 10, 20]) {
      const random = mulberry32(rounds * 101 + shape.length);
      let covered = 0;
      const runs = 2000;
      for (let i = 0; i < runs; i++) {
        // Without the order effect: the balanced alternation of it makes the interval conservative (~99%).
        const d = pairedDifferences(random, rounds, 7, shape, 0);
        const interval = signedRankInterval(d, 0.95);
        if (interval.low <= fromPct(7) && fromPct(7) <= interval.high) covered++;
      }
      const rate = covered / runs;
      // Exact ≥ 95% in theory (discreteness makes it ≥ 96.9% at n = 6); 2000 runs have a standard error of 0.5%.
      assert.ok(rate >= 0.94, `${shape}, ${rounds} rounds: coverage ${rate}`);
      assert.ok(rate <= 0.985 || rounds === 6, `${shape}, ${rounds} rounds: coverage ${rate} is suspiciously high (interval too wide?)`);
    }
  }
});

test("the exact test rejects at its level: P(p < 0.05) ≤ 5% on unchanged code, and it has power on a real change", () => {
  for (const shape of ["normal", "jit-outliers"] as const) {
    const random = mulberry32(77 + shape.length);
    let rejected = 0;
    let detected = 0;
    const runs = 3000;
    for (let i = 0; i < runs; i++) {
      // The exact level at n = 12 is P(T⁺ ≥ 61) = 0.046 (the next value up is over 5%).
      if (signedRankTest(pairedDifferences(random, 12, 0, shape, 0)).pGreater < 0.05) rejected++;
      if (signedRankTest(pairedDifferences(random, 12, 5, shape)).pGreater < 0.05) detected++;
    }
    assert.ok(rejected / runs <= 0.055 && rejected / runs >= 0.035, `${shape}: false-positive rate ${rejected / runs}`);
    assert.ok(detected / runs >= (shape === "normal" ? 0.8 : 0.7), `${shape}: power ${detected / runs}`);
  }
});

test("the verdict follows the interval: above the threshold, below minus it, straddling", () => {
  const up = decidePaired([0.1, 0.11, 0.09, 0.1, 0.12, 0.1, 0.095], 3);
  assert.equal(up.verdict, "regression");
  assert.ok(up.lowPct > 3 && up.settled);
  const down = decidePaired([-0.1, -0.11, -0.09, -0.1, -0.12, -0.1], 3);
  assert.equal(down.verdict, "improvement");
  const flat = decidePaired([0.001, -0.002, 0.003, 0, -0.001, 0.002], 3);
  assert.equal(flat.verdict, "unchanged");
  assert.ok(flat.settled, "an interval wholly inside ±3% is settled");
  const straddle = decidePaired([0.01, 0.05, 0.02, 0.06, 0.03, 0.04], 3);
  assert.equal(straddle.verdict, "unchanged");
  assert.equal(straddle.settled, false);
  // Wholly below +3% but across −3%: no regression whatever more rounds show; the gate stops there.
  const noRegression = decidePaired([-0.05, -0.01, -0.06, -0.02, -0.04, 0.0], 3);
  assert.equal(noRegression.verdict, "unchanged");
  assert.equal(noRegression.settled, true);
  const few = decidePaired([0.5, 0.5, 0.5], 3);
  assert.equal(few.verdict, "unchanged", "3 rounds cannot give a 95% interval");
  assert.equal(few.lowPct, -100);
  assert.equal(AB_CONFIDENCE, 0.95);
});
