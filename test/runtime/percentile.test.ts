import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { perf } from "../../runtime/index";
import { contract, type ContractSpec } from "../../runtime/probe";
import { minimumSamples } from "../../runtime/contract";

let next = 0;
function percentileContract(percentile: number, limitMs: number): ReturnType<typeof contract> {
  const spec: ContractSpec = {
    id: `p-${next++}`,
    kind: "latency",
    target: "Search.lookup",
    file: "src/search.ts",
    line: 7,
    max: limitMs,
    unit: "ms",
    limit: limitMs,
    percentile,
    origin: "inline",
  };
  return contract(spec);
}

function violationsOf(id: string) {
  return perf.violations().filter((v) => v.contractId === id);
}

describe("percentile contracts (synthetic samples, no timing)", () => {
  beforeEach(() => perf.reset());

  it("waits for 100 / (100 - p) samples (20 for p95), then records once when p95 crosses the limit", () => {
    const c = percentileContract(95, 2);
    for (let i = 0; i < 19; i++) c.add(5); // all over, but too few samples for a p95 to mean anything
    assert.equal(violationsOf(c.spec.id).length, 0);
    c.add(5);
    const [violation, ...rest] = violationsOf(c.spec.id);
    assert.equal(rest.length, 0);
    assert.ok(violation);
    assert.equal(violation.percentile, 95);
    assert.equal(violation.context.samples, 20);
    assert.ok(Math.abs(violation.measured - 5) / 5 < 0.01, `measured ${violation.measured}`);
    assert.equal(violation.threshold, 2);
    assert.equal(violation.target, "Search.lookup");
    // Staying over budget does not record again.
    for (let i = 0; i < 50; i++) c.add(5);
    assert.equal(violationsOf(c.spec.id).length, 1);
  });

  it("a p99 contract is not decided by one stall among its first 100 calls", () => {
    const c = percentileContract(99, 2);
    c.add(50);
    for (let i = 0; i < 150; i++) c.add(1);
    assert.equal(violationsOf(c.spec.id).length, 0);
    assert.deepEqual([minimumSamples(99), minimumSamples(95), minimumSamples(90), minimumSamples(50), minimumSamples(100)], [100, 20, 10, 10, 10]);
  });

  it("reports at the 10th sample when the early samples already put it over budget", () => {
    const c = percentileContract(50, 2);
    for (let i = 0; i < 6; i++) c.add(9);
    for (let i = 0; i < 4; i++) c.add(1); // the 10th sample is within budget, the median is not
    assert.equal(violationsOf(c.spec.id).length, 1);
    assert.equal(violationsOf(c.spec.id)[0]?.context.samples, 10);
  });

  it("crosses exactly when fewer than the nearest rank are within budget", () => {
    const c = percentileContract(90, 10);
    for (let i = 0; i < 100; i++) c.add(1);
    // p90 of n samples is over 10 ms once more than n - ceil(0.9 n) samples are over it.
    for (let i = 0; i < 11; i++) c.add(20); // n = 111, rank 100, within 100: still within budget
    assert.equal(violationsOf(c.spec.id).length, 0);
    c.add(20); // n = 112, rank 101, within 100
    const found = violationsOf(c.spec.id);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.context.samples, 112);
    assert.ok(found[0] !== undefined && found[0].measured > 10);
  });

  it("records again only after going back within budget and crossing again", () => {
    const c = percentileContract(90, 2);
    for (let i = 0; i < 10; i++) c.add(3); // over
    assert.equal(violationsOf(c.spec.id).length, 1);
    for (let i = 0; i < 200; i++) c.add(1); // back within budget
    assert.equal(violationsOf(c.spec.id).length, 1);
    const summary = perf.report().contracts.find((s) => s.contractId === c.spec.id);
    assert.ok(summary?.percentileValue !== undefined && summary.percentileValue <= 2);
    for (let i = 0; i < 30; i++) c.add(3); // 40 over out of 240: p90 over again
    assert.equal(violationsOf(c.spec.id).length, 2);
    const again = perf.report().contracts.find((s) => s.contractId === c.spec.id);
    assert.equal(again?.violations, 2);
    assert.equal(again?.calls, 240);
    assert.ok(again?.percentileValue !== undefined && again.percentileValue > 2);
    assert.ok(again !== undefined && Math.abs(again.worst - 3) < 1e-9);
  });

  it("starts over after perf.reset()", () => {
    const c = percentileContract(95, 2);
    for (let i = 0; i < 20; i++) c.add(5);
    assert.equal(violationsOf(c.spec.id).length, 1);
    perf.reset();
    const summary = perf.report().contracts.find((s) => s.contractId === c.spec.id);
    assert.equal(summary?.calls, 0);
    assert.equal(summary?.violations, 0);
    assert.equal(summary?.percentileValue, undefined);
    for (let i = 0; i < 19; i++) c.add(5);
    assert.equal(violationsOf(c.spec.id).length, 0, "the minimum sample count starts over too");
    c.add(5);
    assert.equal(violationsOf(c.spec.id).length, 1);
  });

  it("reports the percentile in the contract's unit", () => {
    const spec: ContractSpec = {
      id: "p-us", kind: "latency", target: "f", file: "", line: 0, max: 500, unit: "us", limit: 0.5, percentile: 99, origin: "inline",
    };
    const c = contract(spec);
    for (let i = 0; i < 100; i++) c.add(0.75);
    const [violation] = violationsOf("p-us");
    assert.equal(violation?.unit, "us");
    assert.ok(violation !== undefined && Math.abs(violation.measured - 750) / 750 < 0.01);
  });
});
