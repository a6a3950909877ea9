import assert from "node:assert/strict";
import { isAsyncFunction } from "node:util/types";
import { afterEach, beforeEach, describe, it } from "node:test";
import { perf } from "../../runtime/index";
import { relative } from "node:path";
import { busyWait } from "./helpers";

/** Call sites are reported relative to the working directory. */
const here = relative(process.cwd(), __filename).split("\\").join("/");

const slow = { max: 1, unit: "ns" } as const; // any real call breaks it
const roomy = { max: 1, unit: "s" } as const; // no call here comes near it

describe("perf.latency(options, fn) / perf.memory(options, fn)", () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  beforeEach(() => {
    perf.reset();
    unhandled.length = 0;
    process.on("unhandledRejection", onUnhandled);
  });
  afterEach(() => {
    process.off("unhandledRejection", onUnhandled);
  });

  it("keeps this, arguments, return value, name and length", () => {
    const counter = {
      base: 10,
      add: perf.latency(roomy, function add(this: { base: number }, a: number, b: number, ...rest: number[]) {
        return this.base + a + b + rest.length;
      }),
    };
    assert.equal(counter.add(1, 2, 7, 7), 15);
    assert.equal(counter.add.name, "add");
    assert.equal(counter.add.length, 2);
    assert.deepEqual(perf.violations(), []);
    const summary = perf.report().contracts.find((c) => c.target === "add");
    assert.equal(summary?.calls, 1);
    assert.equal(summary?.file, here);
  });

  it("uses options.name for the name and the target", () => {
    const fn = perf.latency({ ...slow, name: "parseHeader" }, () => busyWait(1));
    assert.equal(fn.name, "parseHeader");
    fn();
    assert.equal(perf.violations()[0]?.target, "parseHeader");
  });

  it("names an anonymous arrow after the variable it is assigned to", () => {
    const tokenize = perf.latency(slow, (text: string) => text.split(" "));
    busyWait(0);
    assert.deepEqual(tokenize("a b"), ["a", "b"]);
    assert.equal(perf.violations()[0]?.target, "tokenize");
    assert.equal(perf.violations()[0]?.context.origin, "wrapper");
  });

  it("rethrows the very error, and still records the violation", () => {
    const failure = new RangeError("nope");
    const fn = perf.latency(slow, function failing(): never {
      busyWait(1);
      throw failure;
    });
    assert.throws(() => fn(), (error) => error === failure);
    assert.equal(perf.violations().length, 1);
  });

  it("records a violation measured by wrapping, in the contract's unit", () => {
    const fn = perf.latency({ max: 1, unit: "us" }, () => busyWait(3));
    fn();
    const [v] = perf.violations();
    assert.equal(v?.unit, "us");
    assert.ok(v !== undefined && v.measured >= 3000, `measured ${v?.measured} us`);
    assert.equal(v?.threshold, 1);
  });

  it("keeps `new` working for a plain constructor function", () => {
    function Point(this: { x: number }, x: number) {
      this.x = x;
    }
    const Wrapped = perf.latency(roomy, Point) as unknown as new (x: number) => { x: number };
    const point = new Wrapped(3);
    assert.equal(point.x, 3);
    assert.ok(point instanceof (Point as unknown as new () => unknown));
  });

  it("times an async function until it settles and stays an async function", async () => {
    const fn = perf.latency(slow, async function load(id: number) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return id * 2;
    });
    assert.ok(isAsyncFunction(fn));
    assert.equal(await fn(21), 42);
    const [v] = perf.violations();
    assert.equal(v?.context.async, true);
    assert.ok(v !== undefined && v.measured >= 1_000_000, `measured ${v?.measured} ns`);
  });

  it("rejects with the async function's own error", async () => {
    const failure = new Error("async nope");
    const fn = perf.latency(slow, async () => {
      throw failure;
    });
    await assert.rejects(fn(), (error) => error === failure);
    assert.equal(perf.violations().length, 1);
  });

  it("returns the very promise of a non-async function and times it until it settles", async () => {
    let promise: Promise<string> | undefined;
    const fn = perf.latency(slow, () => (promise = new Promise<string>((resolve) => setTimeout(() => resolve("done"), 2))));
    const returned = fn();
    assert.equal(returned, promise);
    assert.equal(perf.violations().length, 0, "not judged before it settles");
    assert.equal(await returned, "done");
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(perf.violations()[0]?.context.async, true);
  });

  it("creates no unhandled rejection when the caller handles the returned promise", async () => {
    const failure = new Error("rejected");
    const fn = perf.latency(slow, () => Promise.reject(failure));
    const returned = fn();
    await assert.rejects(returned, (error) => error === failure);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(unhandled, []);
    assert.equal(perf.violations().length, 1);
  });

  it("measures heap growth across the call, Buffers included", () => {
    const kept: Buffer[] = [];
    const fn = perf.memory({ max: 1, unit: "MB" }, function allocate(size: number) {
      kept.push(Buffer.alloc(size, 1));
      return kept.length;
    });
    fn(1024);
    assert.equal(perf.violations().length, 0);
    fn(4 * 1024 * 1024);
    const [v] = perf.violations();
    assert.equal(v?.kind, "memory");
    assert.equal(v?.unit, "MB");
    assert.ok(v !== undefined && v.measured >= 3.9, `measured ${v?.measured} MB`);
    assert.equal(perf.report().contracts.find((c) => c.target === "allocate")?.calls, 2);
  });

  it("judges a percentile budget over all calls of the wrapped function", () => {
    const fn = perf.latency({ max: 1, unit: "ns", percentile: 50 }, function often() {
      busyWait(0.01);
    });
    for (let i = 0; i < 25; i++) fn();
    const found = perf.violations();
    assert.equal(found.length, 1, "recorded once when it crossed, not on every call");
    assert.equal(found[0]?.percentile, 50);
    assert.equal(found[0]?.context.samples, 10);
    const summary = perf.report().contracts.find((c) => c.target === "often");
    assert.equal(summary?.calls, 25);
    assert.ok(summary?.percentileValue !== undefined && summary.percentileValue > 1);
  });

  it("refuses generators, non-functions and bad options with a message naming the place and key", () => {
    assert.throws(() => perf.latency(roomy, function* gen() {
      yield 1;
    }), /gen is a generator function/);
    assert.throws(
      () => perf.latency({ max: 5, unit: "mb" as "ms" }, () => 1),
      (error: Error) =>
        error instanceof TypeError &&
        error.message.startsWith(`perf.latency(options, fn) at ${here}:`) &&
        /:\d+:\d+: "unit" must be one of ns, us, ms, s, got "mb"$/.test(error.message),
    );
    assert.throws(() => perf.memory({ max: 0, unit: "MB" }, () => 1), /"max" must be a number > 0, got 0/);
    assert.throws(() => perf.memory({ max: 1, unit: "MB", percentile: 95 } as never, () => 1), /unknown option "percentile"/);
    assert.throws(() => perf.latency(roomy, 42 as never), /fn must be a function, got number/);
  });
});

describe("perf.startTimer / perf.assertLatency", () => {
  beforeEach(() => perf.reset());

  it("returns the elapsed time in the asked unit and records nothing within budget", () => {
    const timer = perf.startTimer("within");
    assert.equal(timer.name, "within");
    busyWait(2);
    const elapsed = perf.assertLatency(timer, { max: 10, unit: "s" });
    assert.ok(elapsed >= 0.002 && elapsed < 10, `elapsed ${elapsed} s`);
    assert.ok(timer.elapsed() >= 2);
    assert.deepEqual(perf.violations(), []);
  });

  it("judges by name and records a timer violation at the assertion's place", () => {
    perf.startTimer("search");
    busyWait(2);
    const elapsed = perf.assertLatency("search", { max: 1, unit: "ms" });
    const [v] = perf.violations();
    assert.ok(elapsed >= 2);
    assert.equal(v?.target, "search");
    assert.equal(v?.context.origin, "timer");
    assert.equal(v?.measured, elapsed);
    assert.equal(v?.file, here);
    assert.ok(v !== undefined && v.line > 0);
  });

  it("says clearly when no timer has that name", () => {
    assert.throws(
      () => perf.assertLatency("missing", { max: 1, unit: "ms" }),
      /perf\.assertLatency: no timer named "missing" was started \(call perf\.startTimer\("missing"\) first\)/,
    );
  });

  it("rejects a memory unit", () => {
    const timer = perf.startTimer();
    assert.throws(() => perf.assertLatency(timer, { max: 1, unit: "MB" as "ms" }), /"unit" must be one of ns, us, ms, s/);
  });
});

describe("decorator misuse the types cannot see (plain JavaScript callers)", () => {
  // What a decorator receives, typed loosely on purpose: JavaScript callers are not type-checked.
  const decorate = perf.latency() as unknown as (...args: unknown[]) => unknown;
  const context = (kind: string, name: string) => ({ kind, name, static: false, private: false, addInitializer() {} });

  it("names a field, a class and an auto-accessor, in both decorator dialects", () => {
    const place = `@perf.latency() at ${here}:`;
    const says = (what: string) => (error: Error) =>
      error instanceof TypeError && error.message.startsWith(place) &&
      error.message.endsWith(`cannot decorate ${what}: only methods and get/set accessors carry a performance contract`);
    assert.throws(() => decorate(undefined, context("field", "count")), says("the field count"));
    assert.throws(() => decorate(class Widget {}, context("class", "Widget")), says("a class"));
    assert.throws(() => decorate({ get() {}, set() {} }, context("accessor", "size")), says("the accessor size"));
    assert.throws(() => decorate({}, "count", undefined), says("the field count"));
    assert.throws(() => decorate(class Widget {}), says("a class"));
  });

  it("asks for parentheses when used bare", () => {
    const bare = perf.latency as unknown as (...args: unknown[]) => unknown;
    assert.throws(() => bare(function m() {}, context("method", "m")), /call it, with parentheses: @perf\.latency\(\) or @perf\.latency\(\{ max, unit \}\)/);
    assert.throws(() => bare({}, "m", { value() {} }), /call it, with parentheses/);
  });

  it("refuses generator methods", () => {
    assert.throws(() => decorate(function* items() {}, context("method", "items")), /items is a generator function/);
  });
});
