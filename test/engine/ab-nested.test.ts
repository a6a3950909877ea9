/**
 * The statistics of the side-by-side design, by simulation: rounds are processes holding both sides,
 * each round's difference is the median of many paired samples' ln(B / A) (ab/interleave.ts), and
 * the interval is the exact signed-rank interval over rounds (ab/paired.ts). Pairs within a process
 * are not independent of the process: each side has its own compiled code, its own layout, its
 * own luck with the JIT in that process, and that does not average out over the pairs. The test shows
 * both halves of that: treating the pairs as independent gives intervals that miss the true change
 * far too often, while one value per process keeps the coverage the exact interval promises.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { decidePaired, fromPct, signedRankInterval } from "../../cli/engine/ab/paired";
import { AB_MIN_ROUNDS, roundsInBudget } from "../../cli/engine/ab/schedule";
import { mulberry32 } from "../../cli/engine/statistics";

const gaussian = (random: () => number): number => {
  const u1 = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
};
const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Machine {
  /** Per process and side, the code's own speed (JIT, layout): sd of ln. */
  readonly processSd: number;
  /** Share of processes in which one side's code is 40% slower (a bad compile). */
  readonly outliers: number;
  /** Per sample, independent noise (sd of ln), and the chance of a preemption or GC pause in it. */
  readonly sampleSd: number;
  readonly spikes: number;
}

/** Seen on this machine at load 11–17 (docs/regressions.md): per-round sd 0.1–2.7% over the workloads. */
const MACHINES: Readonly<Record<string, Machine>> = {
  quiet: { processSd: 0.003, outliers: 0, sampleSd: 0.02, spikes: 0.02 },
  busy: { processSd: 0.01, outliers: 0, sampleSd: 0.08, spikes: 0.1 },
  "jit-outliers": { processSd: 0.005, outliers: 1 / 12, sampleSd: 0.05, spikes: 0.05 },
};

/**
 * One process: the change, each side's code effect, then `pairs` sample pairs in alternating order.
 * The machine's state drifts a lot (±30% over a process) but is shared by the two samples of a
 * pair; the sample taken second gains 1% (a warm cache), which the alternation balances.
 */
function processPairs(random: () => number, m: Machine, shiftPct: number, pairs: number): number[] {
  const code = (): number => m.processSd * gaussian(random) + (random() < m.outliers / 2 ? Math.log(1.4) : 0);
  const eA = code();
  const eB = fromPct(shiftPct) + code();
  const out: number[] = [];
  let drift = 0;
  for (let j = 0; j < pairs; j++) {
    drift = 0.9 * drift + 0.1 * gaussian(random);
    const sample = (): number => drift + m.sampleSd * gaussian(random) + (random() < m.spikes ? -Math.log(Math.max(random(), 1e-9)) : 0);
    const bSecond = j % 2 === 0;
    const a = eA + sample() + (bSecond ? 0 : -0.01);
    const b = eB + sample() + (bSecond ? -0.01 : 0);
    out.push(b - a);
  }
  return out;
}

test("coverage by simulation: one median per process keeps the 95% interval's coverage; pairs taken as independent do not", () => {
  for (const [name, machine] of Object.entries(MACHINES)) {
    for (const rounds of [6, 10, 20]) {
      const random = mulberry32(rounds * 31 + name.length);
      const runs = 1500;
      let covered = 0;
      for (let i = 0; i < runs; i++) {
        const d = Array.from({ length: rounds }, () => median(processPairs(random, machine, 5, 60)));
        const interval = signedRankInterval(d, 0.95);
        if (interval.low <= fromPct(5) && fromPct(5) <= interval.high) covered++;
      }
      // Exact ≥ 95% in theory (≥ 96.9% at 6 rounds by discreteness); 1500 runs have a standard error
      // of 0.56%, so the bound is 2.7 of them below (one run of the suite saw 0.938 at 1000 runs).
      // The interval that counts pairs as independent, below, stays under 0.85: this bound catches it.
      assert.ok(covered / runs >= 0.935, `${name}, ${rounds} rounds: coverage ${covered / runs}`);
    }
  }
  // Pairs counted as independent values, where each side's compiled code differs from process to
  // process by 2% (seen on this machine for allocation-heavy workloads): the interval is too narrow.
  const codeVaries: Machine = { processSd: 0.02, outliers: 0, sampleSd: 0.03, spikes: 0.02 };
  const random = mulberry32(99);
  let covered = 0;
  const runs = 200;
  for (let i = 0; i < runs; i++) {
    const all = Array.from({ length: 6 }, () => processPairs(random, codeVaries, 5, 40)).flat();
    const interval = signedRankInterval(all, 0.95);
    if (interval.low <= fromPct(5) && fromPct(5) <= interval.high) covered++;
  }
  assert.ok(covered / runs < 0.85, `pairs as independent values: coverage ${covered / runs} (the nesting would not matter)`);
});

/** The runner's loop (ab/runner.ts) for one bench of a 7-bench file: stop when settled, else at the budget's rounds. */
function sequential(random: () => number, machine: Machine, shiftPct: number, thresholdPct: number): { verdict: string; rounds: number } {
  const cap = roundsInBudget(7);
  const d: number[] = [];
  for (;;) {
    d.push(median(processPairs(random, machine, shiftPct, 60)));
    if (d.length < AB_MIN_ROUNDS) continue;
    const decision = decidePaired(d, thresholdPct);
    if (decision.settled || d.length >= cap) return { verdict: decision.verdict, rounds: d.length };
  }
}

/**
 * What each machine model must reach. Quiet (a round's difference has a standard deviation of about
 * 0.5%, as most workloads of eval:ab at load 11–17): the goal. Busy (about 2%, as the
 * allocation-heavy and Map workloads there): a 5% change is then one standard deviation of a round
 * from a 3% threshold, and the budget's 14 rounds cannot place it above the threshold every time:
 * the limit, stated rather than hidden. JIT outliers: a 40% round now and then widens the interval.
 */
const EXPECTED: Readonly<Record<string, { readonly caught10: number; readonly caught5: number }>> = {
  quiet: { caught10: 0.99, caught5: 0.9 },
  busy: { caught10: 0.99, caught5: 0.7 },
  "jit-outliers": { caught10: 0.9, caught5: 0.8 },
};

test("adaptive stopping within the budget at a 3% threshold: ≤ 1% false alarms on every machine; on a quiet one ≥ 99% of 10% and ≥ 90% of 5% slowdowns caught; clear cases stop at the first chance", (t) => {
  for (const [name, machine] of Object.entries(MACHINES)) {
    const random = mulberry32(4242 + name.length);
    const runs = 600;
    let falseAlarms = 0;
    const caught = { 5: 0, 10: 0 };
    let roundsClear = 0;
    for (let i = 0; i < runs; i++) {
      if (sequential(random, machine, 0, 3).verdict === "regression") falseAlarms++;
      for (const shift of [5, 10] as const) {
        const slowed = sequential(random, machine, shift, 3);
        if (slowed.verdict === "regression") caught[shift]++;
        if (shift === 10) roundsClear += slowed.rounds;
      }
    }
    const expected = EXPECTED[name]!;
    t.diagnostic(`${name}: false alarms ${falseAlarms / runs}, 5% caught ${caught[5] / runs}, 10% caught ${caught[10] / runs}`);
    assert.ok(falseAlarms / runs <= 0.01, `${name}: false alarms ${falseAlarms / runs}`);
    assert.ok(caught[10] / runs >= expected.caught10, `${name}: 10% caught ${caught[10] / runs}`);
    assert.ok(caught[5] / runs >= expected.caught5, `${name}: 5% caught ${caught[5] / runs}`);
    // Where a 10% change is clear (every one caught), it stops at the first chance; with JIT outliers some are not
    // clear, and those rightly use the budget.
    if (expected.caught10 >= 0.99) assert.ok(roundsClear / runs < AB_MIN_ROUNDS + 1, `${name}: a clear 10% took ${roundsClear / runs} rounds on average`);
  }
});

test("the machine models are what the comments say: a round's standard deviation", () => {
  const sd = (name: string): number => {
    const random = mulberry32(7);
    const d = Array.from({ length: 2000 }, () => median(processPairs(random, MACHINES[name]!, 0, 60)));
    const mean = d.reduce((s, x) => s + x, 0) / d.length;
    return Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1));
  };
  const quiet = sd("quiet");
  const busy = sd("busy");
  assert.ok(quiet > 0.002 && quiet < 0.008, `quiet: ${quiet}`);
  assert.ok(busy > 0.012 && busy < 0.03, `busy: ${busy}`);
});
