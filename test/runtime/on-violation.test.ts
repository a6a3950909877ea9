import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fixtures, runNode } from "./helpers";

const script = join(fixtures, "on-violation.cjs");
const run = (scenario: string, env: Record<string, string | undefined> = {}) =>
  runNode(["--unhandled-rejections=strict", script, scenario], { env });

const WARNING = "[choragen/perf] latency violation: OrderService.placeOrder took 73.2 ms > 50 ms (src/order.ts:12)\n";

describe("onViolation", () => {
  it("records silently by default", async () => {
    const result = await run("inline");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.equal(result.stdout, "returned\nstored 1\n");
  });

  it("warn: one line on stderr, the call returns", async () => {
    const result = await run("inline", { CHORAGEN_PERF_ON_VIOLATION: "warn" });
    assert.equal(result.stderr, WARNING);
    assert.equal(result.stdout, "returned\nstored 1\n");
  });

  it("throw: a PerformanceViolationError carrying the violation, which is also recorded", async () => {
    const result = await run("inline", { CHORAGEN_PERF_ON_VIOLATION: "throw" });
    assert.equal(result.stderr, "");
    const [line, stored] = result.stdout.trim().split("\n");
    assert.deepEqual(JSON.parse(line as string), {
      caught: "PerformanceViolationError",
      instance: true,
      message: "OrderService.placeOrder took 73.2 ms > 50 ms (src/order.ts:12)",
      target: "OrderService.placeOrder",
    });
    assert.equal(stored, "stored 1");
  });

  it("takes the contract's own reaction when the env is not set", async () => {
    assert.equal((await run("spec-warn")).stderr, WARNING);
    assert.match((await run("spec-throw")).stdout, /"caught":"PerformanceViolationError"/);
  });

  it("lets the env win over the contract's reaction", async () => {
    const result = await run("spec-throw", { CHORAGEN_PERF_ON_VIOLATION: "record" });
    assert.equal(result.stdout, "returned\nstored 1\n");
    assert.equal((await run("spec-warn", { CHORAGEN_PERF_ON_VIOLATION: "record" })).stderr, "");
  });

  it("uses perf.configure({ onViolation }) for contracts that carry none", async () => {
    assert.equal((await run("configured-warn")).stderr, WARNING);
  });

  for (const [value, shown, hint] of [
    ["explode", '"explode"', ""],
    ["THROW", '"THROW"', ' (did you mean "throw"?)'],
    ["", "set but empty", ""],
  ] as const) {
    it(`stops at once on an env value that is not a reaction: ${shown}`, async () => {
      const result = await run("inline", { CHORAGEN_PERF_ON_VIOLATION: value });
      assert.notEqual(result.code, 0);
      assert.ok(
        result.stderr.includes(`TypeError: @choragen/perf: CHORAGEN_PERF_ON_VIOLATION is ${shown}: expected one of record, warn, throw${hint}. Unset it to use the configured reaction.`),
        result.stderr,
      );
      assert.equal(result.stdout, "", "the program did not run");
    });
  }

  it("words memory and percentile violations for people", async () => {
    assert.equal(
      (await run("memory", { CHORAGEN_PERF_ON_VIOLATION: "warn" })).stderr,
      "[choragen/perf] memory violation: OrderService.placeOrder grew the heap by 12.5 MB > 10 MB (src/order.ts:12)\n",
    );
    assert.equal(
      (await run("percentile", { CHORAGEN_PERF_ON_VIOLATION: "warn" })).stderr,
      "[choragen/perf] latency violation: OrderService.placeOrder p95 is 3.1 ms > 2 ms over 20 calls (src/order.ts:12)\n",
    );
  });

  it("settle() in throw mode: a promise that settles late warns instead of throwing, identity kept", async () => {
    const result = await run("settle-promise", { CHORAGEN_PERF_ON_VIOLATION: "throw" });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "same promise true\nresolved value\nstored 1\n");
    assert.match(result.stderr, /^\[choragen\/perf\] latency violation: OrderService\.placeOrder took \d+(\.\d+)? ns > 1 ns \(src\/order\.ts:12\)\n$/);
  });

  it("settle() of a plain value judges at once and can throw", async () => {
    const result = await run("settle-sync", { CHORAGEN_PERF_ON_VIOLATION: "throw" });
    assert.match(result.stdout, /"caught":"PerformanceViolationError"/);
  });

  it("throw with the runtime wrapper: after the call completes, synchronously or as a rejection", async () => {
    const env = { CHORAGEN_PERF_ON_VIOLATION: "throw" };
    assert.match((await run("wrapper-sync", env)).stdout, /^\{"caught":"PerformanceViolationError","instance":true,"message":"slow took \d+ ns > 1 ns \(test\/fixtures\/runtime\/on-violation\.cjs:\d+\)","target":"slow"\}\nstored 1\n$/);
    assert.equal((await run("wrapper-async", env)).stdout, "rejected PerformanceViolationError true\nstored 1\n");
  });

  it("throw: the call's own exception wins; the violation is recorded and warned", async () => {
    const result = await run("wrapper-own-error", { CHORAGEN_PERF_ON_VIOLATION: "throw" });
    assert.equal(result.stdout, "caught RangeError: own error\nstored 1\n");
    assert.match(result.stderr, /^\[choragen\/perf\] latency violation: failing took \d+ ns > 1 ns/);
  });
});
