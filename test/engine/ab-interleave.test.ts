/**
 * The side-by-side sampler (ab/interleave.ts) on real functions in this process: which bench
 * functions it times by plain calls, and that it measures a ratio measured side by side (no absolute
 * timings: the two sides run interleaved, so the machine's speed cancels).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { interleave, pairedLogRatio, plainTimed, returnsPromise } from "../../cli/engine/ab/interleave";

const loop = (n: number) => (): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ i, 0x01000193);
  return h >>> 0;
};

const OPTIONS = { warmupNs: 20e6, measureNs: 30e6, minPairs: 8, sampleNs: 20_000 } as const;

test("plain functions and generators that yield one are timed by plain calls; async ones and generators yielding parameters are not", () => {
  const sync = plainTimed(loop(10));
  assert.ok(sync !== undefined && !returnsPromise(sync.timed));
  let tornDown = false;
  const gen = plainTimed(function* () {
    const data = [1, 2, 3];
    yield () => data.reduce((s, x) => s + x, 0);
    tornDown = true;
  });
  assert.ok(gen !== undefined);
  assert.equal(gen.timed(), 6);
  gen.teardown();
  assert.equal(tornDown, true, "the generator's teardown runs");
  assert.equal(plainTimed(async () => 1), undefined);
  assert.equal(plainTimed(async function* () {}), undefined);
  assert.equal(
    plainTimed(function* () {
      yield { 0: () => 1, bench: (x: number) => x };
    }),
    undefined,
  );
  // A function that is not async but returns a promise: the caller checks and falls back to mitata.
  assert.equal(returnsPromise(() => Promise.resolve(1)), true);
});

test("two copies of the same function measure the same; twice the work measures about twice; both orders", () => {
  for (const aFirst of [true, false]) {
    const same = interleave(loop(400), loop(400), { ...OPTIONS, aFirst, tag: `same ${String(aFirst)}` });
    assert.equal(same.a.length, same.b.length);
    assert.ok(same.a.length >= OPTIONS.minPairs);
    const d0 = pairedLogRatio(same);
    assert.ok(Math.abs(d0) < Math.log(1.1), `same code: ln ratio ${d0}`);
    const double = interleave(loop(400), loop(800), { ...OPTIONS, aFirst, tag: `double ${String(aFirst)}` });
    const d1 = pairedLogRatio(double);
    assert.ok(d1 > Math.log(1.6) && d1 < Math.log(2.5), `twice the work: ratio ${Math.exp(d1)}`);
  }
});
