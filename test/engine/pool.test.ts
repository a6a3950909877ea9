import { test } from "node:test";
import * as assert from "node:assert/strict";
import { mergePasses, poolBlocks } from "../../cli/engine/pool";
import { quantileOfSorted } from "../../cli/engine/statistics";

// Found by CI: a fast bench on a busy machine got batches of 4 calls, its blocks held hundreds of
// thousands of samples, and `all.push(...samples)` overflowed the stack in the child.
test("blocks of hundreds of thousands of samples pool without overflowing the stack", () => {
  const perBlock = 400_000;
  const blocks = [0, 1, 2, 3].map((b) => ({
    samples: Array.from({ length: perBlock }, (_, i) => 10 + b + ((i * 7919) % 1000) / 100),
    p50: 15 + b,
    heapAvg: 8 * (b + 1),
  }));
  const stats = poolBlocks(blocks, 6_000);
  assert.equal(stats.samples, 4 * perBlock);
  assert.equal(stats.min, 10);
  assert.equal(stats.max, 13 + 999 / 100);
  assert.deepEqual(stats.blocks, [15, 16, 17, 18]);
  assert.equal(stats.calibration, 6_000);
  assert.equal(stats.heapPerIter, 20);
  assert.equal(stats.sampleSet.length, 512);
  assert.ok(stats.p50 >= stats.min && stats.p50 <= stats.p75 && stats.p75 <= stats.p99 && stats.p99 <= stats.max);
});

test("pooled percentiles, mean and the missing calibration and heap", () => {
  const stats = poolBlocks([{ samples: [4, 2], p50: 3 }, { samples: [1, 3, 5], p50: 3 }], Number.POSITIVE_INFINITY);
  assert.equal(stats.p50, 3);
  assert.equal(stats.mean, 3);
  assert.equal(stats.samples, 5);
  assert.deepEqual(stats.sampleSet, [1, 2, 3, 4, 5]);
  assert.equal(stats.calibration, undefined);
  assert.equal(stats.heapPerIter, undefined);
  assert.throws(() => poolBlocks([{ samples: [], p50: 0 }], 1), /no samples/);
});

test("pooling two passes: extremes from either, counts added, an error wins", () => {
  const stats = (lo: number, n: number) => ({
    p50: lo + 5, p75: lo + 7, p99: lo + 9, min: lo, max: lo + 10, mean: lo + 5, samples: n,
    sampleSet: Array.from({ length: 11 }, (_, i) => lo + i), blocks: [lo + 5], calibration: lo,
  });
  const a = { file: "f", name: "x", id: "x", stats: stats(100, 10) };
  const b = { file: "f", name: "x", id: "x", stats: stats(200, 30) };
  const m = mergePasses(a, b).stats!;
  assert.equal(m.min, 100);
  assert.equal(m.max, 210);
  assert.equal(m.samples, 40);
  assert.equal(m.mean, (105 * 10 + 205 * 30) / 40);
  assert.deepEqual(m.blocks, [105, 205]);
  assert.equal(m.calibration, 100);
  assert.equal(m.sampleSet.length, 22);
  const failed = { file: "f", name: "x", id: "x", error: "boom" };
  assert.equal(mergePasses(failed, b), failed);
  assert.equal(mergePasses(a, failed), failed);
});

test("one reading of a percentile: the value at rank floor(q·(n−1)), no interpolation, in blocks and in pooled processes alike", () => {
  const sorted = [10, 20, 30, 40];
  assert.deepEqual([0, 0.5, 0.75, 0.99, 1].map((q) => quantileOfSorted(sorted, q)), [10, 20, 30, 30, 40]);
  // The same eight samples, measured as two blocks of one process and as two processes of one block each.
  const first = [3, 1, 7, 5];
  const second = [8, 2, 6, 4];
  const oneProcess = poolBlocks([{ samples: first, p50: 4 }, { samples: second, p50: 5 }], 1);
  const pass = (samples: number[]) => ({ file: "f", name: "x", id: "x", stats: poolBlocks([{ samples, p50: 0 }], 1) });
  const twoProcesses = mergePasses(pass(first), pass(second)).stats!;
  for (const key of ["p50", "p75", "p99", "min", "max", "mean", "samples"] as const) assert.equal(twoProcesses[key], oneProcess[key], key);
  assert.deepEqual([oneProcess.p50, oneProcess.p75, oneProcess.p99], [4, 6, 7]);
});
