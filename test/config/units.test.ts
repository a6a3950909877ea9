import { test } from "node:test";
import assert from "node:assert/strict";
import { LATENCY_UNITS, MEMORY_UNITS, toBytes, toMilliseconds } from "../../config";
import * as runtimeUnits from "../../runtime/units";

test("latency units convert to milliseconds", () => {
  assert.equal(toMilliseconds(1, "s"), 1000);
  assert.equal(toMilliseconds(250, "ms"), 250);
  assert.equal(toMilliseconds(1500, "us"), 1.5);
  assert.equal(toMilliseconds(2_000_000, "ns"), 2);
  assert.ok(Math.abs(toMilliseconds(1, "ns") - 1e-6) < 1e-18);
});

test("memory units convert to bytes with 1 KB = 1024 B", () => {
  assert.equal(toBytes(3, "B"), 3);
  assert.equal(toBytes(1, "KB"), 1024);
  assert.equal(toBytes(50, "MB"), 50 * 1024 * 1024);
  assert.equal(toBytes(1.5, "GB"), 1.5 * 1024 ** 3);
});

test("each unit is a strictly larger step than the one before", () => {
  for (let i = 1; i < LATENCY_UNITS.length; i++) {
    assert.ok(toMilliseconds(1, LATENCY_UNITS[i] ?? "ns") > toMilliseconds(1, LATENCY_UNITS[i - 1] ?? "ns"));
  }
  for (let i = 1; i < MEMORY_UNITS.length; i++) assert.equal(toBytes(1, MEMORY_UNITS[i] ?? "B"), 1024 * toBytes(1, MEMORY_UNITS[i - 1] ?? "B"));
});

test("the config's units are the runtime's: one list, in the order of the factors", () => {
  assert.equal(LATENCY_UNITS, runtimeUnits.LATENCY_UNITS);
  assert.equal(MEMORY_UNITS, runtimeUnits.MEMORY_UNITS);
  assert.deepEqual([...LATENCY_UNITS], Object.keys(runtimeUnits.NS_PER_UNIT));
  assert.deepEqual([...MEMORY_UNITS], Object.keys(runtimeUnits.BYTES_PER_UNIT));
  for (const unit of LATENCY_UNITS) assert.equal(toMilliseconds(1, unit), runtimeUnits.NS_PER_UNIT[unit] / 1e6);
  for (const unit of MEMORY_UNITS) assert.equal(toBytes(1, unit), runtimeUnits.BYTES_PER_UNIT[unit]);
});
