import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { compile, TempProject } from "../support/project";
import { fixtures, runNode } from "./helpers";

/**
 * The target a contract is recorded under must not depend on whether the transformer was in the build:
 * the runtime decorators name members exactly as the transformer does (`Cart.get total`, `Cart.#sum`).
 */
const project = new TempProject("choragen-perf-targets-");
after(() => project.remove());

interface Output {
  observed: unknown[];
  contracts: string[];
  violations: string[];
}

async function build(fixture: string, transform: "instrument" | "none", experimentalDecorators: boolean): Promise<Output> {
  const file = `${transform}-${fixture}`;
  project.write(`${file}.ts`, readFileSync(join(fixtures, "targets", `${fixture}.ts`), "utf8"));
  const result = compile(project, [`${file}.ts`], { transform, compilerOptions: { experimentalDecorators } });
  assert.equal(result.diagnostics.length, 0, result.formatDiagnostics());
  const run = await runNode([join(project.dir, `${file}.js`)], { cwd: project.dir });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  return JSON.parse(run.stdout) as Output;
}

describe("runtime decorators record the transformer's targets", () => {
  it("standard decorators: methods, accessors, static and #private members, inherited calls", async () => {
    const expected = [
      "Cart.#count",
      "Cart.#sum",
      "Cart.add",
      "Cart.create",
      "Cart.get #label",
      "Cart.get made",
      "Cart.get size",
      "Cart.get total",
      "Cart.set made",
      "Cart.set total",
    ];
    const transformed = await build("standard", "instrument", false);
    const plain = await build("standard", "none", false);
    assert.deepEqual(transformed.contracts, expected, "what the transformer emits");
    assert.deepEqual(plain.contracts, expected, "what the runtime decorators record");
    assert.deepEqual(plain.observed, transformed.observed);
    assert.deepEqual(plain.observed, [0, 1, 3, 3, 4, "cart of 1"]);
    assert.deepEqual(transformed.violations, ["Cart.get total"]);
    assert.deepEqual(plain.violations, ["Cart.get total"]);
  });

  it("experimentalDecorators: accessors (each half of a decorated pair under its own name), static members", async () => {
    const transformed = await build("experimental", "instrument", true);
    const plain = await build("experimental", "none", true);
    // The transformer measures the accessor that carries the decorator.
    assert.deepEqual(transformed.contracts, ["Cart.add", "Cart.create", "Cart.get made", "Cart.get size", "Cart.get total", "Cart.set name"]);
    // A legacy decorator applies to the property, get and set together: the runtime measures both halves.
    assert.deepEqual(plain.contracts, [
      "Cart.add",
      "Cart.create",
      "Cart.get made",
      "Cart.get size",
      "Cart.get total",
      "Cart.set made",
      "Cart.set name",
      "Cart.set total",
    ]);
    assert.deepEqual(plain.observed, transformed.observed);
    assert.deepEqual(plain.observed, [0, 1, 3, 3, 4, "mine"]);
    assert.deepEqual(transformed.violations, ["Cart.get total"]);
    assert.ok(plain.violations.includes("Cart.get total"), plain.violations.join(", "));
    assert.ok(plain.violations.every((target) => plain.contracts.includes(target)), plain.violations.join(", "));
  });
});
