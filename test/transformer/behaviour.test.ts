import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile, REPO_ROOT, TempProject } from "../support/project";

const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "transformer");
const SOURCE = fs.readFileSync(path.join(FIXTURES, "shapes.ts"), "utf8");

interface Seen {
  target: string;
  file: string;
  line: number;
  measured: number;
  threshold: number;
  unit: string;
  percentile?: number;
  origin: string;
  async: boolean;
}

function build(transform: "instrument" | "strip"): { observed: Record<string, unknown>; violations: Seen[] } {
  const project = new TempProject();
  try {
    project.write("src/shapes.ts", SOURCE);
    project.write("src/run-shapes.js", fs.readFileSync(path.join(FIXTURES, "run-shapes.js"), "utf8"));
    const result = compile(project, ["src/shapes.ts"], { transform });
    assert.equal(result.diagnostics.length, 0, result.formatDiagnostics());
    const run = project.node(["--expose-gc", "src/run-shapes.js"]);
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout) as { observed: Record<string, unknown>; violations: Seen[] };
  } finally {
    project.remove();
  }
}

/** The 1-based line of the annotation written just above the line containing `marker`. */
function annotationLine(marker: string): number {
  const lines = SOURCE.split("\n");
  let index = lines.findIndex((l) => l.includes(marker));
  assert.ok(index > 0, marker);
  while (!lines[index - 1]!.trim().startsWith("@perf.")) index--;
  return index;
}

const instrumented = build("instrument");
const stripped = build("strip");

test("instrumented code behaves exactly like the code without annotations", () => {
  assert.deepEqual(instrumented.observed, stripped.observed);
  assert.deepEqual(stripped.violations, []);
});

test("thrown errors keep their stack: no wrapper frame between the caller and the method", () => {
  const throws = instrumented.observed["throws"] as { frames: string[] };
  assert.match(throws.frames[0]!, /Shapes\.throws$/);
  assert.match(throws.frames[1]!, /observe$/);
});

test("name and length of methods and wrapped functions are unchanged", () => {
  assert.deepEqual(instrumented.observed["names"], ["slow", 1, "make", "parse", 1, "double", "later", "short"]);
});

test("violations name the target, file and annotation line, with the budget converted back to its unit", () => {
  const byTarget = new Map(instrumented.violations.map((v) => [v.target, v]));
  const slow = byTarget.get("latency:Shapes.slow") ?? assert.fail("Shapes.slow not recorded");
  assert.equal(slow.file, "src/shapes.ts");
  assert.equal(slow.line, annotationLine("slow(a: number"));
  assert.equal(slow.unit, "ns");
  assert.equal(slow.threshold, 1);
  assert.ok(slow.measured >= 2_000_000, `a 2 ms busy-wait measured as ${slow.measured} ns`);
  assert.equal(slow.origin, "inline");
  for (const target of ["Shapes.throws", "Shapes.greet", "Shapes.make", "Shapes.#hidden", "Shapes.get total", "Shapes.set total", "Shapes.self", "parse", "short"]) {
    assert.ok(byTarget.has(`latency:${target}`), `${target} recorded: ${[...byTarget.keys()].join(", ")}`);
  }
  assert.equal(byTarget.get("latency:Shapes.make")?.line, annotationLine("static make()"));
  assert.equal(byTarget.get("latency:parse")?.line, SOURCE.split("\n").findIndex((l) => l.startsWith("export const parse = perf.latency(")) + 1);
});

test("no violation is recorded for calls within budget", () => {
  const targets = instrumented.violations.map((v) => v.target);
  for (const within of ["latency:Shapes.fast", "latency:double", "memory:Shapes.small"]) assert.ok(!targets.includes(within), within);
});

test("async timing covers the awaited work, for async methods, promise-returning methods and async arrows", () => {
  for (const target of ["latency:Shapes.awaited", "latency:Shapes.promised", "latency:Shapes.rejected", "latency:later"]) {
    const v = instrumented.violations.find((x) => x.target === target) ?? assert.fail(`${target} not recorded`);
    assert.equal(v.unit, "ms");
    assert.ok(v.measured >= 20, `${target}: a 25 ms sleep measured as ${v.measured} ms`);
    assert.equal(v.async, true, target);
  }
});

test("memory contracts record heap growth in the written unit", () => {
  const v = instrumented.violations.find((x) => x.target === "memory:Shapes.allocate") ?? assert.fail("allocate not recorded");
  assert.equal(v.unit, "KB");
  assert.ok(v.measured > 1, `${v.measured} KB`);
});

test("percentile contracts are judged on the percentile, once, not per slow call", () => {
  const lookups = instrumented.violations.filter((x) => x.target === "latency:Shapes.lookup");
  assert.equal(lookups.length, 1, JSON.stringify(lookups));
  assert.equal(lookups[0]!.percentile, 90);
  assert.ok(lookups[0]!.measured >= 5);
});

test("onViolation throw: a breach throws after the call completes, but never replaces the call's own error", () => {
  const project = new TempProject();
  try {
    project.write(
      "src/strict.ts",
      `import { perf } from "@choragen/perf";
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}
export class Strict {
  log: string[] = [];
  @perf.latency({ max: 1, unit: "ns" })
  slow(): number {
    busy(1);
    this.log.push("ran");
    return 1;
  }
  @perf.latency({ max: 1, unit: "ns" })
  failing(): number {
    busy(1);
    throw new RangeError("own error");
  }
}
`,
    );
    project.write(
      "src/main.js",
      `const { Strict } = require("./strict.js");
const { perf, PerformanceViolationError } = require("@choragen/perf");
const s = new Strict();
const seen = [];
for (const name of ["slow", "failing"]) {
  try { s[name](); seen.push(name + ": returned"); }
  catch (e) { seen.push(name + ": " + (e instanceof PerformanceViolationError ? "violation " + e.violation.target : e.name + " " + e.message)); }
}
console.log(JSON.stringify({ seen, log: s.log, recorded: perf.violations().map((v) => v.target) }));
`,
    );
    const result = compile(project, ["src/strict.ts"], { transform: "instrument" });
    assert.equal(result.diagnostics.length, 0, result.formatDiagnostics());
    const run = project.node(["src/main.js"], { CHORAGEN_PERF_ON_VIOLATION: "throw" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      seen: ["slow: violation Strict.slow", "failing: RangeError own error"],
      log: ["ran"],
      recorded: ["Strict.slow", "Strict.failing"],
    });
  } finally {
    project.remove();
  }
});

test("perf.assertLatency: a violation names the TypeScript line it is written on, not the compiled JavaScript", () => {
  const source = `import { perf } from "@choragen/perf";
export function search(items: string[]): number {
  const t = perf.startTimer("search");
  const end = performance.now() + 1;
  while (performance.now() < end) {
    // spin
  }
  perf.assertLatency(t, { max: 1, unit: "ns" });
  return items.length;
}
`;
  const run = (transform: "instrument" | "none"): { file: string; line: number; target: string } => {
    const project = new TempProject();
    try {
      project.write("src/search.ts", source);
      // Compiled into another folder, as a build does: the stack alone would name dist/search.js.
      project.write("dist/.keep", "");
      const result = compile(project, ["src/search.ts"], { transform, compilerOptions: { outDir: path.join(project.dir, "dist"), rootDir: path.join(project.dir, "src") } });
      assert.equal(result.diagnostics.length, 0, result.formatDiagnostics());
      project.write("main.js", `const { perf } = require("@choragen/perf");\nrequire("./dist/search.js").search([]);\nconsole.log(JSON.stringify(perf.violations()));\n`);
      const out = project.node(["main.js"]);
      assert.equal(out.status, 0, out.stderr);
      const [violation] = JSON.parse(out.stdout) as { file: string; line: number; target: string }[];
      return violation ?? assert.fail(`no violation: ${out.stdout}`);
    } finally {
      project.remove();
    }
  };
  const instrumented = run("instrument");
  assert.deepEqual({ file: instrumented.file, line: instrumented.line, target: instrumented.target }, { file: "src/search.ts", line: 8, target: "search" });
  // Without the transformer the runtime can only read the stack: the compiled file, as documented.
  assert.equal(run("none").file, "dist/search.js");
});
