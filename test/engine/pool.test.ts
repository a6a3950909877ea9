import { test } from "node:test";
import * as assert from "node:assert/strict";
import { poolBlocks } from "../../cli/engine/pool";

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
