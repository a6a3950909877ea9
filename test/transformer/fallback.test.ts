import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile, REPO_ROOT, TempProject } from "../support/project";

/**
 * Without the transformer (plain tsc, esbuild, TypeScript 7) the same source must still work: perf.latency and
 * perf.memory are real decorators and wrappers that measure by wrapping and record the same violations.
 */
const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "transformer");
const SOURCE = fs.readFileSync(path.join(FIXTURES, "shapes.ts"), "utf8");

interface Outcome {
  observed: Record<string, unknown>;
  violations: { target: string; origin: string; async: boolean; unit: string }[];
}

function run(source: string, transform: "none" | "strip", experimentalDecorators: boolean): Outcome {
  const project = new TempProject();
  try {
    project.write("src/shapes.ts", source);
    project.write("src/run-shapes.js", fs.readFileSync(path.join(FIXTURES, "run-shapes.js"), "utf8"));
    const result = compile(project, ["src/shapes.ts"], { transform, compilerOptions: { experimentalDecorators } });
    assert.equal(result.diagnostics.length, 0, result.formatDiagnostics());
    const child = project.node(["--expose-gc", "src/run-shapes.js"]);
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout) as Outcome;
  } finally {
    project.remove();
  }
}

// Legacy decorators cannot decorate #private members nor both halves of an accessor: those are left out there.
const LEGACY_SOURCE = SOURCE.replace(/\n\s*@perf\.latency\(\{ max: 1, unit: "ns" \}\)\n(\s*(#hidden\(\)|set total))/g, "\n$1");

for (const [label, experimental, source] of [
  ["standard decorators", false, SOURCE],
  ["experimentalDecorators", true, LEGACY_SOURCE],
] as const) {
  test(`plain tsc (${label}): runtime decorators and wrappers behave like the code without them`, () => {
    const plain = run(source, "none", experimental);
    const reference = run(source, "strip", experimental);
    const { names: plainNames, throws: plainThrows, ...plainRest } = plain.observed;
    const { names: referenceNames, throws: referenceThrows, ...referenceRest } = reference.observed;
    assert.deepEqual(plainRest, referenceRest);
    // Wrapping adds one frame (the wrapper, named like the method) under the method's own: the inlined probes do not.
    const thrown = plainThrows as { name: string; message: string; frames: string[] };
    const expected = referenceThrows as { name: string; message: string; frames: string[] };
    assert.deepEqual([thrown.name, thrown.message, thrown.frames[0]], [expected.name, expected.message, expected.frames[0]]);
    // A wrapper cannot see the variable it is assigned to: an anonymous arrow keeps its own (empty) name.
    const [slowName, slowLength, makeName, , parseLength, doubleName] = plainNames as unknown[];
    const [rSlowName, rSlowLength, rMakeName, , rParseLength, rDoubleName] = referenceNames as unknown[];
    assert.deepEqual([slowName, slowLength, makeName, parseLength, doubleName], [rSlowName, rSlowLength, rMakeName, rParseLength, rDoubleName]);
  });

  test(`plain tsc (${label}): the runtime records the same contracts' violations`, () => {
    const plain = run(source, "none", experimental);
    const targets = new Set(plain.violations.map((v) => v.target));
    const expected = ["latency:Shapes.slow", "latency:Shapes.throws", "latency:Shapes.awaited", "latency:Shapes.promised", "latency:Shapes.rejected", "latency:Shapes.greet", "latency:Shapes.make", "latency:Shapes.self", "memory:Shapes.allocate", "latency:Shapes.lookup"];
    if (!experimental) expected.push("latency:Shapes.#hidden");
    for (const target of expected) assert.ok(targets.has(target), `${target} in ${[...targets].join(", ")}`);
    for (const within of ["latency:Shapes.fast", "latency:double", "memory:Shapes.small"]) assert.ok(!targets.has(within), within);
    assert.ok(plain.violations.every((v) => v.origin === "decorator" || v.origin === "wrapper"));
    assert.equal(plain.violations.find((v) => v.target === "latency:Shapes.awaited")?.async, true);
  });
}
