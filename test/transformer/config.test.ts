import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { compile, TempProject, typescriptUnderTest } from "../support/project";
import { createPerfTransformer, type TransformMode } from "../../transformer/index";

const SOURCE = `import { perf } from "@choragen/perf";

export class OrderService {
  @perf.latency()
  place(): number {
    return 1;
  }

  @perf.memory()
  report(): number[] {
    return [];
  }

  @perf.latency({ max: 7, unit: "ms" })
  explicit(): number {
    return 2;
  }
}
`;

function emitWith(yaml: string | undefined, files: Record<string, string>, configPath?: string): { js: Map<string, string>; diagnostics: string[] } {
  const project = new TempProject();
  try {
    if (yaml !== undefined) project.write(".choragen/performance.yaml", yaml);
    for (const [name, text] of Object.entries(files)) project.write(name, text);
    const tsi = typescriptUnderTest();
    const result = compile(project, Object.keys(files), {
      transform: "instrument",
      compilerOptions: { module: tsi.ModuleKind.ESNext, moduleResolution: tsi.ModuleResolutionKind.Bundler },
      ...(configPath ? { configPath } : {}),
    });
    return { js: result.outputs, diagnostics: result.diagnostics.filter((d) => d.source === "@choragen/perf").map((d) => tsi.flattenDiagnosticMessageText(d.messageText, "\n")) };
  } finally {
    project.remove();
  }
}

/** The contract() facts emitted for a target, parsed back from the output. */
function facts(js: string, target: string): Record<string, unknown> {
  const match = new RegExp(`contract\\((\\{[^}]*target: "${target.replace(".", "\\.")}"[^}]*\\})\\)`).exec(js) ?? assert.fail(`no contract for ${target} in\n${js}`);
  return Function(`return (${match[1]});`)() as Record<string, unknown>;
}

test("without a config file, annotations without options take the documented defaults (200 ms, 50 MB, record)", () => {
  const { js, diagnostics } = emitWith(undefined, { "src/orders.ts": SOURCE });
  assert.deepEqual(diagnostics, []);
  const out = js.get("src/orders.js")!;
  assert.deepEqual([facts(out, "OrderService.place")["max"], facts(out, "OrderService.place")["unit"], facts(out, "OrderService.place")["limit"]], [200, "ms", 200]);
  assert.deepEqual([facts(out, "OrderService.report")["max"], facts(out, "OrderService.report")["unit"], facts(out, "OrderService.report")["limit"]], [50, "MB", 50 * 1024 * 1024]);
  // `record` is the runtime's own default: not written, so perf.configure({ onViolation }) is not outranked by it.
  assert.equal(facts(out, "OrderService.place")["onViolation"], undefined);
  assert.match(out, /if \(__perf_d > 200\)/);
});

test("the config's defaults, overrides (by file glob and by qualified name) and onViolation reach the emitted code", () => {
  const yaml = `contracts:
  latency:
    default: { max: 120, unit: ms }
    overrides:
      "src/api/**": { max: 300, unit: us, percentile: 99 }
      "OrderService.place": { max: 2, unit: s }
  memory:
    default: { max: 4, unit: KB }
  onViolation: warn
`;
  const api = `import { perf } from "@choragen/perf";\nexport const handler = { run: 0 };\nexport class Api {\n  @perf.latency()\n  get(): number {\n    return handler.run;\n  }\n}\n`;
  const { js, diagnostics } = emitWith(yaml, { "src/orders.ts": SOURCE, "src/api/users.ts": api });
  assert.deepEqual(diagnostics, []);
  const orders = js.get("src/orders.js")!;
  assert.deepEqual([facts(orders, "OrderService.place")["max"], facts(orders, "OrderService.place")["unit"], facts(orders, "OrderService.place")["limit"]], [2, "s", 2000]);
  assert.deepEqual([facts(orders, "OrderService.report")["max"], facts(orders, "OrderService.report")["limit"]], [4, 4096]);
  assert.equal(facts(orders, "OrderService.explicit")["max"], 7, "options written in code win over the config");
  assert.equal(facts(orders, "OrderService.place")["onViolation"], "warn");
  const users = js.get("src/api/users.js")!;
  assert.deepEqual([facts(users, "Api.get")["max"], facts(users, "Api.get")["unit"], facts(users, "Api.get")["limit"], facts(users, "Api.get")["percentile"]], [300, "us", 0.3, 99]);
  assert.match(users, /\.add\(__perf_clock\.now\(\) - __perf_t0, false, __perf_threw\)/, "a percentile override turns the probe into a sampling one");
});

test("the plugin option `config` names the file explicitly", () => {
  const { js } = emitWith(undefined, { "src/orders.ts": SOURCE, "perf/custom.yaml": "contracts:\n  latency:\n    default: { max: 9, unit: ms }\n" }, "perf/custom.yaml");
  assert.equal(facts(js.get("src/orders.js")!, "OrderService.place")["max"], 9);
});

test("a broken config is a diagnostic naming the file, line, column and key path", () => {
  const { diagnostics } = emitWith("contracts:\n  latency:\n    default: { max: -1, unit: ms }\n", { "src/orders.ts": SOURCE });
  assert.equal(diagnostics.length, 1, diagnostics.join("\n"));
  assert.match(diagnostics[0]!, /performance\.yaml:3:\d+/);
  assert.match(diagnostics[0]!, /contracts\.latency\.default\.max/);
});

test("an invalid mode is one diagnostic, written as one sentence", () => {
  const tsi = typescriptUnderTest();
  const project = new TempProject();
  const program = tsi.createProgram({ rootNames: [], options: { configFilePath: path.join(project.dir, "tsconfig.json") } });
  const previous = process.env["CHORAGEN_PERF_MODE"];
  try {
    delete process.env["CHORAGEN_PERF_MODE"];
    const fromOption = createPerfTransformer(program, { mode: "fast" as TransformMode }, tsi).diagnostics;
    assert.deepEqual(fromOption.map((d) => [d.code, d.messageText]), [[91011, '@choragen/perf: the plugin option "mode" must be "instrument" or "strip"; found "fast".']]);
    process.env["CHORAGEN_PERF_MODE"] = "quick";
    const fromEnv = createPerfTransformer(program, {}, tsi).diagnostics;
    assert.deepEqual(fromEnv.map((d) => [d.code, d.messageText]), [[91011, '@choragen/perf: CHORAGEN_PERF_MODE must be "instrument" or "strip"; found "quick".']]);
  } finally {
    if (previous === undefined) delete process.env["CHORAGEN_PERF_MODE"];
    else process.env["CHORAGEN_PERF_MODE"] = previous;
    project.remove();
  }
});
