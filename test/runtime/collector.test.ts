import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import type * as RuntimeIndex from "../../runtime/index";
import { perf } from "../../runtime/index";
import { contract, heap, type ContractSpec } from "../../runtime/probe";

function spec(overrides: Partial<ContractSpec> = {}): ContractSpec {
  return {
    id: "a1b2c3d4",
    kind: "latency",
    target: "OrderService.placeOrder",
    file: "src/order.ts",
    line: 12,
    max: 50,
    unit: "ms",
    limit: 50,
    origin: "inline",
    onViolation: "record",
    ...overrides,
  };
}

describe("collector", () => {
  beforeEach(() => perf.reset());

  it("records a violation with the SPEC fields, converted to the contract's unit", () => {
    const before = Date.now();
    contract(spec()).violate(73.25);
    const [v, ...rest] = perf.violations();
    assert.equal(rest.length, 0);
    assert.deepEqual({ ...v, timestamp: 0 }, {
      contractId: "a1b2c3d4",
      kind: "latency",
      target: "OrderService.placeOrder",
      file: "src/order.ts",
      line: 12,
      measured: 73.25,
      threshold: 50,
      unit: "ms",
      timestamp: 0,
      context: { origin: "inline", async: false, pid: process.pid },
    });
    assert.ok(v !== undefined && v.timestamp >= before && v.timestamp <= Date.now());
  });

  it("converts ms to ns/us/s and bytes to KB/MB/GB", () => {
    contract(spec({ id: "ns", unit: "ns", max: 500, limit: 0.0005 })).violate(0.002);
    contract(spec({ id: "us", unit: "us", max: 5, limit: 0.005 })).violate(0.0075);
    contract(spec({ id: "s", unit: "s", max: 1, limit: 1000 })).violate(2500);
    contract(spec({ id: "mb", kind: "memory", unit: "MB", max: 10, limit: 10 * 1024 ** 2 })).violate(15 * 1024 ** 2, true);
    contract(spec({ id: "kb", kind: "memory", unit: "KB", max: 1, limit: 1024 })).violate(1536);
    contract(spec({ id: "gb", kind: "memory", unit: "GB", max: 1, limit: 1024 ** 3 })).violate(2 * 1024 ** 3);
    const measured = Object.fromEntries(perf.violations().map((v) => [v.contractId, v.measured]));
    assert.deepEqual(measured, { ns: 2000, us: 7.5, s: 2.5, mb: 15, kb: 1.5, gb: 2 });
    assert.equal(perf.violations().find((v) => v.contractId === "mb")?.context.async, true);
  });

  it("hands out copies: callers cannot change the collector", () => {
    contract(spec()).violate(60);
    const copy = perf.violations();
    copy.length = 0;
    assert.equal(perf.violations().length, 1);
    assert.notEqual(perf.violations(), perf.violations());
  });

  it("summarises every armed contract in the report, exercised or not", () => {
    const quiet = contract(spec({ id: "quiet", target: "Quiet.method" }));
    const loud = contract(spec({ id: "loud", target: "Loud.method" }));
    loud.violate(80);
    loud.violate(120);
    const report = perf.report();
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.pid, process.pid);
    assert.equal(report.node, process.version);
    assert.ok(!Number.isNaN(Date.parse(report.generatedAt)));
    const byId = new Map(report.contracts.map((c) => [c.contractId, c]));
    assert.deepEqual(byId.get("quiet"), {
      contractId: "quiet", kind: "latency", target: "Quiet.method", file: "src/order.ts", line: 12,
      threshold: 50, unit: "ms", violations: 0, worst: 0,
    });
    assert.equal(byId.get("loud")?.violations, 2);
    assert.equal(byId.get("loud")?.worst, 120);
    assert.equal(byId.get("loud")?.calls, undefined, "inlined per-call probes do not count calls");
    assert.equal(report.violations.length, 2);
    assert.ok(quiet.spec.id === "quiet");
  });

  it("returns the same contract when a module is evaluated again with the same id", () => {
    const first = contract(spec({ id: "again" }));
    const second = contract(spec({ id: "again" }));
    assert.equal(first, second);
    assert.equal(perf.report().contracts.filter((c) => c.contractId === "again").length, 1);
  });

  it("reset() forgets violations and statistics but keeps contracts armed", () => {
    const c = contract(spec({ id: "kept" }));
    c.violate(99);
    perf.reset();
    assert.deepEqual(perf.violations(), []);
    const summary = perf.report().contracts.find((s) => s.contractId === "kept");
    assert.equal(summary?.violations, 0);
    c.violate(99);
    assert.equal(perf.violations().length, 1);
  });

  it("stores at most 10 000 violations and counts the rest as dropped", () => {
    const c = contract(spec({ id: "flood" }));
    for (let i = 0; i < 10_250; i++) c.violate(51);
    assert.equal(perf.violations().length, 10_000);
    const report = perf.report();
    assert.equal(report.droppedViolations, 250);
    assert.equal(report.contracts.find((s) => s.contractId === "flood")?.violations, 10_250);
  });

  it("rejects a contract without a usable limit or unit", () => {
    assert.throws(() => contract(spec({ id: "bad1", limit: 0 })), /no valid limit\/unit/);
    assert.throws(() => contract(spec({ id: "bad2", unit: "MB" })), /no valid limit\/unit/);
  });

  it("keeps its state on globalThis, shared by a second copy of the module", () => {
    contract(spec({ id: "shared" })).violate(70);
    const runtimeDir = require.resolve("../../runtime/index");
    const saved = Object.keys(require.cache).filter((key) => key.startsWith(runtimeDir.replace(/index\.js$/, "")));
    const entries = saved.map((key) => [key, require.cache[key]] as const);
    for (const key of saved) delete require.cache[key];
    try {
      const copy = require("../../runtime/index") as typeof RuntimeIndex;
      assert.notEqual(copy.perf, perf, "a genuinely separate module instance");
      assert.deepEqual(copy.perf.violations().map((v) => v.contractId), ["shared"]);
      copy.perf.reset();
      assert.deepEqual(perf.violations(), []);
    } finally {
      for (const [key, module] of entries) require.cache[key] = module;
    }
  });

  it("reads the heap: a number in bytes that grows with a large allocation", () => {
    const before = heap();
    const block = Buffer.alloc(16 * 1024 * 1024, 1);
    const growth = heap() - before;
    assert.ok(Number.isFinite(before) && before > 0);
    assert.ok(growth >= 15 * 1024 * 1024, `growth ${growth}`);
    assert.equal(block[0], 1);
  });
});
