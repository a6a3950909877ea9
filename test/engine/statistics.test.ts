import { test } from "node:test";
import * as assert from "node:assert/strict";
import { exactRankShift, mannWhitneyCdf } from "../../cli/engine/exact-rank";
import { boundedSampleSet, decideShift, mannWhitney, mulberry32, normalUpperTail } from "../../cli/engine/statistics";
import { lognormalSamples, timingSamples } from "./helpers";

test("normal tail matches known quantiles", () => {
  assert.ok(Math.abs(normalUpperTail(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normalUpperTail(1.959964) - 0.025) < 1e-6);
  assert.ok(Math.abs(normalUpperTail(-1.644854) - 0.95) < 1e-6);
  assert.ok(Math.abs(normalUpperTail(3.090232) - 0.001) < 1e-6);
});

test("Mann–Whitney U on a textbook case (complete separation, n = 3 + 3)", () => {
  const r = mannWhitney([1, 2, 3], [4, 5, 6]);
  assert.equal(r.u, 9);
  assert.equal(r.effect, 1);
  // z = (9 − 4.5 − 0.5) / sqrt(9·7/12) = 1.7457 → one-sided p ≈ 0.0404
  assert.ok(Math.abs(r.pGreater - 0.0404) < 5e-4, `pGreater ${r.pGreater}`);
  assert.ok(r.pLess > 0.95);
});

test("Mann–Whitney handles ties: all-equal samples are never significant", () => {
  const r = mannWhitney([5, 5, 5, 5], [5, 5, 5, 5, 5]);
  assert.equal(r.pGreater, 1);
  assert.equal(r.pLess, 1);
  const t = mannWhitney([1, 2, 2, 2, 3], [2, 2, 3, 3, 4]);
  assert.equal(t.u, 19); // b wins 17 pairs outright, ties 4 × ½
  assert.ok(t.pGreater > 0.05 && t.pGreater < 0.5);
});

test("the rank test's p-values are calibrated: ~5% of same-distribution pairs fall below 0.05", () => {
  let below = 0;
  const runs = 600;
  for (let seed = 1; seed <= runs; seed++) {
    const random = mulberry32(seed);
    const a = lognormalSamples(random, 100, 1000, 0.3);
    const b = lognormalSamples(random, 100, 1000, 0.3);
    if (mannWhitney(a, b).pGreater < 0.05) below++;
  }
  const rate = below / runs;
  assert.ok(rate > 0.025 && rate < 0.085, `rate ${rate}`);
});

const input = (samples: number[], calibration?: number) => ({ min: samples[0]!, samples, ...(calibration === undefined ? {} : { calibration }) });

test("identical distributions are not flagged (false alarm rate ≤ 1% over 500 seeds)", () => {
  let flagged = 0;
  for (let seed = 1; seed <= 500; seed++) {
    const random = mulberry32(seed * 7919);
    // Heavy interference (mean +50%) and few samples.
    const a = timingSamples(random, 60, 1000, 0.5);
    const b = timingSamples(random, 60, 1000, 0.5);
    if (decideShift(input(a), input(b), 5).verdict !== "unchanged") flagged++;
  }
  assert.ok(flagged / 500 <= 0.01, `${flagged} false alarms`);
});

test("a 10% slowdown is flagged with a 5% threshold (≥ 95% of seeds), even under heavy interference", () => {
  let caught = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const random = mulberry32(seed);
    const a = timingSamples(random, 300, 1000, 0.3);
    const b = timingSamples(random, 300, 1100, 0.3);
    if (decideShift(input(a), input(b), 5).verdict === "regression") caught++;
  }
  assert.ok(caught >= 190, `caught ${caught}/200`);
});

test("a shift smaller than the threshold is not a regression; a 10% speed-up is an improvement", () => {
  const random = mulberry32(42);
  const a = timingSamples(random, 400, 1000, 0.05);
  const b = timingSamples(random, 400, 1030, 0.05);
  const small = decideShift(input(a), input(b), 5);
  assert.ok(small.separation < 0.001, "3% on quiet samples is clearly separated");
  assert.equal(small.verdict, "unchanged");
  const c = timingSamples(random, 400, 900, 0.05);
  assert.equal(decideShift(input(a), input(c), 5).verdict, "improvement");
});

test("slow stretches and huge outliers do not make a regression: only the fast part counts", () => {
  const random = mulberry32(3);
  const a = timingSamples(random, 300, 1000, 0.05);
  // The current run spent two thirds of its time sharing the core (2× slower) and had GC spikes.
  const b = [...timingSamples(random, 100, 1000, 0.05), ...timingSamples(random, 200, 2000, 0.05).map((v, i) => (i % 20 === 0 ? v * 50 : v))].sort((x, y) => x - y);
  const d = decideShift(input(a), input(b), 5);
  assert.equal(d.verdict, "unchanged");
  assert.ok(d.changePct < 5);
});

test("a run during which the whole machine was slower is not blamed on the code (calibration)", () => {
  const random = mulberry32(5);
  const a = timingSamples(random, 300, 1000, 0.1);
  // No undisturbed moment at all in the current run: everything 2× slower, the calibration too.
  const busy = timingSamples(random, 300, 2000, 0.1);
  assert.equal(decideShift(input(a), input(busy), 5).verdict, "regression", "without calibration it looks like a regression");
  assert.equal(decideShift(input(a, 500), input(busy, 1000), 5).verdict, "unchanged");
  // A real 10% slowdown measured on a busy machine is still caught: 2.2× against a 2× calibration.
  const slowerAndBusy = timingSamples(random, 300, 2200, 0.1);
  const d = decideShift(input(a, 500), input(slowerAndBusy, 1000), 5);
  assert.equal(d.verdict, "regression");
  assert.ok(Math.abs(d.normalizedChangePct - 10) < 3, `normalized ${d.normalizedChangePct}`);
});

test("a calibration that read slow while the benchmark ran at its usual speed does not hide a real slowdown", () => {
  const random = mulberry32(11);
  const a = timingSamples(random, 300, 1000, 0.1);
  const b = timingSamples(random, 300, 1100, 0.1);
  // The calibration caught no undisturbed moment in the current run (+44%), the benchmark did (+10%):
  // divided out, that would read −24%, which a slower machine cannot produce.
  const d = decideShift(input(a, 500), input(b, 720), 5);
  assert.ok(d.normalizedChangePct < -15, `normalized ${d.normalizedChangePct}`);
  assert.ok(Math.abs(d.calibrationChangePct - 44) < 1e-9, `calibration ${d.calibrationChangePct}`);
  assert.equal(d.verdict, "regression");
  // The mirror image: the baseline's calibration read slow, the code really got 10% faster.
  const c = timingSamples(random, 300, 900, 0.1);
  const e = decideShift(input(a, 720), input(c, 500), 5);
  assert.ok(e.normalizedChangePct > 15, `normalized ${e.normalizedChangePct}`);
  assert.equal(e.verdict, "improvement");
});

test("the calibration vetoes only when it explains the change to within the threshold", () => {
  const random = mulberry32(13);
  const a = timingSamples(random, 300, 1000, 0.1);
  const b = timingSamples(random, 300, 1080, 0.1);
  // +8% with the machine 5% slower: +2.9% calibrated, within ±5%: the machine accounts for it.
  const explained = decideShift(input(a, 500), input(b, 525), 5);
  assert.ok(explained.changePct > 5 && Math.abs(explained.normalizedChangePct) <= 5, `calibrated ${explained.normalizedChangePct}`);
  assert.equal(explained.verdict, "unchanged");
  // The same +8% with the calibration unchanged, or faster (it cannot explain a slowdown), is a regression.
  assert.equal(decideShift(input(a, 500), input(b, 500), 5).verdict, "regression");
  assert.equal(decideShift(input(a, 500), input(b, 480), 5).verdict, "regression");
  // Without a calibration on either side the change stands alone.
  const plain = decideShift(input(a), input(b, 525), 5);
  assert.equal(plain.verdict, "regression");
  assert.equal(plain.calibrationChangePct, 0);
});

test("a machine that drifted a few percent between the runs: the calibrated change decides", () => {
  const random = mulberry32(17);
  // The baseline ran while the host was 6% slower (calibration 530 against 500): a real 10% slowdown
  // shows as only +4% in raw times, under the 5% threshold. Calibrated, it is +10%.
  const base = timingSamples(random, 300, 1060, 0.05);
  const slower = timingSamples(random, 300, 1100, 0.05);
  const hidden = decideShift(input(base, 530), input(slower, 500), 5);
  assert.ok(hidden.changePct > 2.5 && hidden.changePct < 5, `raw ${hidden.changePct}`);
  assert.ok(Math.abs(hidden.normalizedChangePct - 10) < 2, `calibrated ${hidden.normalizedChangePct}`);
  assert.equal(hidden.verdict, "regression");
  assert.ok(hidden.separation < 0.001);
  // Read by the raw times alone, as before the calibration was trusted, it would have been missed.
  assert.equal(decideShift(input(base, 530), input(slower, 500), 5, 0.001, -1).verdict, "unchanged");
  // The mirror: the current run on a host 6% slower hides a 10% speed-up.
  const faster = timingSamples(random, 300, 954, 0.05);
  assert.equal(decideShift(input(timingSamples(random, 300, 1000, 0.05), 500), input(faster, 530), 5).verdict, "improvement");
});

test("a calibration a few percent off does not make a slowdown out of an unchanged benchmark", () => {
  const random = mulberry32(19);
  const a = timingSamples(random, 300, 1000, 0.05);
  const b = timingSamples(random, 300, 1010, 0.05);
  // +1% raw, calibration 5% faster in the current run: +6% calibrated, but the code itself moved by
  // less than half the threshold.
  const d = decideShift(input(a, 500), input(b, 475), 5);
  assert.ok(d.normalizedChangePct > 5, `calibrated ${d.normalizedChangePct}`);
  assert.equal(d.verdict, "unchanged");
});

test("exact Mann–Whitney distribution matches the counts by hand; 3 + 3 processes allow p = 1/20 and a 90% interval at best", () => {
  assert.deepEqual([...mannWhitneyCdf(3, 3)].map((p) => Math.round(p * 20)), [1, 2, 4, 7, 10, 13, 16, 18, 19, 20]);
  assert.deepEqual([...mannWhitneyCdf(2, 3)].map((p) => Math.round(p * 10)), [1, 2, 4, 6, 8, 9, 10]);
  // Textbook critical value: m = n = 8, two-sided 5% → U ≤ 13 (P = 0.0249).
  assert.ok(Math.abs(mannWhitneyCdf(8, 8)[13]! - 0.0249) < 5e-4);
  const r = exactRankShift([1000, 1010, 990], [1100, 1120, 1090])!;
  assert.ok(Math.abs(r.pGreater - 1 / 20) < 1e-12);
  assert.ok(Math.abs(r.confidence - 0.9) < 1e-12);
  assert.ok(r.low > 0 && r.high > r.low);
});

test("exact rank interval over processes: coverage by simulation ≥ its exact confidence, and the p-value holds its level", () => {
  const random = mulberry32(9);
  for (const [m, n] of [[3, 3], [3, 2], [8, 8]] as const) {
    let covered = 0;
    let rejected = 0;
    let confidence = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      // Per-process fast times: a 7% shift, process noise with a JIT outlier now and then.
      const proc = (shift: number): number => 1000 * shift * Math.exp(0.02 * (lognormalSamples(random, 1, 1, 1)[0]! - 1)) * (random() < 1 / 15 ? 1.4 : 1);
      const a = Array.from({ length: m }, () => proc(1));
      const b = Array.from({ length: n }, () => proc(1.07));
      const r = exactRankShift(a, b)!;
      confidence = r.confidence;
      if (r.low <= Math.log(1.07) && Math.log(1.07) <= r.high) covered++;
      const same = Array.from({ length: n }, () => proc(1));
      if (exactRankShift(a, same)!.pGreater <= 0.05) rejected++;
    }
    assert.ok(covered / runs >= confidence - 0.015, `${m} + ${n}: coverage ${covered / runs} for a ${confidence} interval`);
    assert.ok(rejected / runs <= 0.05 + 0.012, `${m} + ${n}: P(p ≤ 0.05) = ${rejected / runs} on unchanged code`);
  }
});

test("bounded sample set keeps min, max and at most 512 values", () => {
  const sorted = Array.from({ length: 10_000 }, (_, i) => i);
  const set = boundedSampleSet(sorted);
  assert.equal(set.length, 512);
  assert.equal(set[0], 0);
  assert.equal(set[511], 9_999);
  assert.deepEqual(boundedSampleSet([1, 2, 3]), [1, 2, 3]);
});
