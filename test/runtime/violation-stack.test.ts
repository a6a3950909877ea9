import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fixtures, repoRoot, runNode } from "./helpers";

/**
 * A violation thrown in `throw` mode reads like the user's own error: its header is
 * `PerformanceViolationError: …` and its stack starts at the user's code, with none of the runtime's frames.
 */
const script = join(fixtures, "violation-stack.cjs");
const THROW = { CHORAGEN_PERF_ON_VIOLATION: "throw" };
// The compiled runtime, and the TypeScript sources frames point at under --enable-source-maps.
const RUNTIME_FOLDERS = [join(repoRoot, "dist", "runtime") + "/", join(repoRoot, "runtime") + "/"];

function frames(stack: string): string[] {
  return stack.split("\n").filter((line) => /^\s+at /.test(line));
}

function assertUserStack(stack: string, header: RegExp, firstFrame: RegExp): void {
  const lines = stack.split("\n");
  assert.match(String(lines[0]), /^PerformanceViolationError: /, stack);
  assert.match(String(lines[0]), header, stack);
  const all = frames(stack);
  assert.ok(all.length > 0, stack);
  for (const frame of all) {
    assert.ok(!RUNTIME_FOLDERS.some((folder) => frame.includes(folder)), `a runtime frame: ${frame}\n${stack}`);
  }
  assert.match(String(all[0]), firstFrame, stack);
  assert.ok(String(all[0]).includes(script), stack);
}

const SCENARIOS: readonly (readonly [string, RegExp, RegExp])[] = [
  ["inline", /^PerformanceViolationError: OrderService\.placeOrder took 4\.04 ms > 1 ms \(src\/order\.ts:12\)$/, /^\s+at OrderService\.placeOrder \(/],
  ["percentile", /^PerformanceViolationError: OrderService\.placeOrder p95 is 3 ms > 1 ms over 20 calls/, /^\s+at lookup \(/],
  ["settle", /^PerformanceViolationError: OrderService\.placeOrder took \d+ ns > 1 ns/, /^\s+at quote \(/],
  ["wrapper", /^PerformanceViolationError: slow took \d+ ns > 1 ns/, /^\s+at caller \(/],
  ["decorator", /^PerformanceViolationError: Checkout\.pay took \d+ ns > 1 ns/, /^\s+at checkout \(/],
  ["timer", /^PerformanceViolationError: search took \d+ ns > 1 ns/, /^\s+at timed \(/],
  ["wrapper-async", /^PerformanceViolationError: load took \d+ ns > 1 ns/, /^\s+at async caller \(/],
];

describe("a thrown violation's stack", () => {
  for (const sourceMaps of [false, true]) {
    for (const [scenario, header, firstFrame] of SCENARIOS) {
      it(`${scenario}${sourceMaps ? " (--enable-source-maps)" : ""}: named PerformanceViolationError, starts at the user's frame`, async () => {
        const args = [...(sourceMaps ? ["--enable-source-maps"] : []), script, scenario];
        const result = await runNode(args, { env: THROW });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stderr, "");
        const caught = JSON.parse(result.stdout) as { name: string; stack: string };
        assert.equal(caught.name, "PerformanceViolationError");
        assertUserStack(caught.stack, header, firstFrame);
      });
    }
  }

  it("uncaught: Node prints it as PerformanceViolationError, from the user's method down", async () => {
    const result = await runNode([script, "uncaught"], { env: THROW });
    assert.notEqual(result.code, 0);
    assert.doesNotMatch(result.stderr, /PerformanceViolationErrorImpl/);
    const printed = result.stderr.slice(result.stderr.indexOf("PerformanceViolationError: "));
    const stack = printed.slice(0, printed.search(/ \{\n|\n\n|$/));
    assertUserStack(stack, /^PerformanceViolationError: OrderService\.placeOrder took 4\.04 ms > 1 ms/, /^\s+at OrderService\.placeOrder \(/);
  });
});
