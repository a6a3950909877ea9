import { test } from "node:test";
import * as assert from "node:assert/strict";
import type * as ts from "typescript";
import { compile, TempProject, typescriptUnderTest, type ModuleFlavour } from "../support/project";

/**
 * The code the transformer emits (issue 11, item 9), compiled by the real compiler and run by a real node, in
 * CommonJS and in ESM: the probe surface is a named import (a destructuring require in CommonJS, with none of the
 * __importStar helpers), a file imports only what it uses, stacked latency + memory contracts share one probe,
 * the clock is the runtime's real one (fake timers replace globalThis.performance), and the config file's
 * onViolation is written only when it says something.
 */

const SERVICE = `import { perf } from "@choragen/perf";

function spin(ms: number): number {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x++;
  return x;
}

export class Service {
  @perf.latency({ max: 1, unit: "ms" })
  slow(): number {
    return spin(5);
  }

  @perf.latency({ max: 1, unit: "ms" })
  @perf.memory({ max: 1, unit: "KB" })
  both(): number[] {
    spin(5);
    return Array.from({ length: 100_000 }, (_, i) => i);
  }
}

export const fill = perf.memory({ max: 1, unit: "KB" }, (): string[] => Array.from({ length: 100_000 }, (_, i) => String(i)));
`;

function options(flavour: ModuleFlavour): ts.CompilerOptions {
  const tsi = typescriptUnderTest();
  return flavour === "commonjs"
    ? // Node16 in a "type": "commonjs" package emits CommonJS (node10 resolution is deprecated in TypeScript 6).
      { module: tsi.ModuleKind.Node16, moduleResolution: tsi.ModuleResolutionKind.Node16, esModuleInterop: true }
    : { module: tsi.ModuleKind.NodeNext, moduleResolution: tsi.ModuleResolutionKind.NodeNext };
}

/** A program written in plain JavaScript: it runs `before` first, then loads the instrumented module. */
function runner(flavour: ModuleFlavour, before: string): string {
  const load = flavour === "commonjs" ? `const { Service, fill } = require("./service.js");` : `const { Service, fill } = await import("./service.js");`;
  const body = `${before}
${load}
const { perf } = ${flavour === "commonjs" ? `require("@choragen/perf")` : `await import("@choragen/perf")`};
const service = new Service();
service.slow();
service.both();
fill();
console.log(JSON.stringify(perf.violations().map((v) => v.target + " " + v.kind)));
`;
  return body;
}

function build(flavour: ModuleFlavour): { project: TempProject; service: string } {
  const project = new TempProject("choragen-emitted-", flavour);
  project.write("src/service.ts", SERVICE);
  const result = compile(project, ["src/service.ts"], { transform: "instrument", compilerOptions: options(flavour) });
  assert.equal(result.diagnostics.length, 0, result.formatDiagnostics());
  return { project, service: result.outputs.get("src/service.js") ?? assert.fail("no output") };
}

const EXPECTED = ["Service.slow latency", "Service.both latency", "Service.both memory", "fill memory"];

for (const flavour of ["commonjs", "module"] as const) {
  test(`instrumented ${flavour} output imports the probe by name and runs: every contract is live`, () => {
    const { project, service } = build(flavour);
    try {
      assert.doesNotMatch(service, /__importStar|__importDefault|__createBinding|__setModuleDefault/, "no module interop helpers");
      assert.doesNotMatch(service, /import \* as|globalThis\.performance/);
      if (flavour === "commonjs") assert.match(service, /^const \{ clock: __perf_clock, contract: __perf_contract, heap: __perf_heap \} = require\("@choragen\/perf\/probe"\);$/m);
      else assert.match(service, /^import \{ clock as __perf_clock, contract as __perf_contract, heap as __perf_heap \} from "@choragen\/perf\/probe";$/m);
      project.write("src/main.js", runner(flavour, ""));
      const run = project.node(["src/main.js"]);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual((JSON.parse(run.stdout) as string[]).sort(), [...EXPECTED].sort());
    } finally {
      project.remove();
    }
  });

  test(`an inlined probe still measures under Jest-style fake timers that freeze globalThis.performance (${flavour})`, () => {
    const { project } = build(flavour);
    try {
      // What Jest's fakeTimers (and Vitest's toFake: ["performance"]) do: the global is replaced by a clock that
      // only moves when the test advances it. Read from there, every probe would measure 0 ms and pass.
      const freeze = `const frozen = { now: () => 1000, timeOrigin: 0, mark() {}, measure() {} };
Object.defineProperty(globalThis, "performance", { value: frozen, configurable: true, writable: true });
if (globalThis.performance.now() !== 1000) throw new Error("the fake clock is not in place");`;
      project.write("src/main.js", runner(flavour, freeze));
      const run = project.node(["src/main.js"]);
      assert.equal(run.status, 0, run.stderr);
      const seen = JSON.parse(run.stdout) as string[];
      assert.ok(seen.includes("Service.slow latency"), `the 5 ms call over its 1 ms budget is recorded; seen: ${run.stdout}`);
      assert.ok(seen.includes("Service.both latency"), run.stdout);
    } finally {
      project.remove();
    }
  });
}

test("a file with only memory contracts imports no clock; stacked latency + memory share one try/finally, heap read outside the clock", () => {
  const project = new TempProject();
  try {
    project.write("src/memory.ts", `import { perf } from "@choragen/perf";\nexport class M {\n  @perf.memory({ max: 1, unit: "MB" })\n  grow(): number[] {\n    return [1, 2, 3];\n  }\n}\n`);
    project.write("src/service.ts", SERVICE);
    const result = compile(project, ["src/memory.ts", "src/service.ts"], { transform: "instrument", compilerOptions: options("commonjs") });
    assert.equal(result.diagnostics.length, 0, result.formatDiagnostics());
    const memory = result.outputs.get("src/memory.js") ?? assert.fail("no output");
    assert.doesNotMatch(memory, /clock/);
    const service = result.outputs.get("src/service.js") ?? assert.fail("no output");
    const start = service.indexOf("both() {");
    const both = service.slice(start, service.indexOf("\n}\n", start));
    assert.equal(both.match(/try \{/g)?.length, 1, `one try block:\n${both}`);
    const order = ["__perf_heap()", "__perf_clock.now()", "spin(5)", "__perf_clock.now() - __perf_t0", "__perf_heap() - __perf_m0"].map((text) => both.indexOf(text));
    assert.ok(order.every((at) => at >= 0), both);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `heap, clock, body, clock, heap:\n${both}`);
  } finally {
    project.remove();
  }
});

test("the config file's onViolation is written into contracts only when it is not the default (record)", () => {
  const written = (yaml: string | undefined): string => {
    const project = new TempProject();
    try {
      if (yaml !== undefined) project.write(".choragen/performance.yaml", yaml);
      project.write("src/service.ts", SERVICE);
      const result = compile(project, ["src/service.ts"], { transform: "instrument", compilerOptions: options("commonjs") });
      assert.equal(result.diagnostics.length, 0, result.formatDiagnostics());
      return result.outputs.get("src/service.js") ?? assert.fail("no output");
    } finally {
      project.remove();
    }
  };
  assert.doesNotMatch(written(undefined), /onViolation/);
  assert.doesNotMatch(written("contracts:\n  onViolation: record\n"), /onViolation/);
  const warn = written("contracts:\n  onViolation: warn\n");
  assert.equal(warn.match(/onViolation: "warn"/g)?.length, 4, "one per contract");
});
