import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile, TempProject, typescriptUnderTest } from "../support/project";
import { RELIABILITY_FIXTURES } from "./differential";

/**
 * The less common ways to reach `perf`: a namespace import, an alias, a local module re-exporting the runtime.
 * Strip mode must give exactly what the source compiles to without the annotations (the local module's import
 * included: TypeScript elides an import nobody uses, so production code must not load the runtime through it).
 */
const ANNOTATED = `import * as cp from "@choragen/perf";
import { perf as p } from "@choragen/perf";
import { perf as local, everything } from "./perf-local.js";

export class Reached {
  @cp.perf.latency({ max: 5, unit: "ms" })
  viaNamespace(x: number): number {
    return x + 1;
  }

  @p.memory({ max: 1, unit: "MB" })
  viaAlias(x: number): number {
    return x + 2;
  }
}

export const wrapped = cp.perf.latency({ max: 5, unit: "ms" }, (x: number) => x * 10);
export const viaNamespaceReexport = everything.perf.latency({ max: 5, unit: "ms" }, (x: number) => x * 30);
export const viaReexport = local.memory({ max: 1, unit: "GB" }, function (x: number): number {
  return x * 20;
});
`;

const PLAIN = `export class Reached {
  viaNamespace(x: number): number {
    return x + 1;
  }

  viaAlias(x: number): number {
    return x + 2;
  }
}

export const wrapped = (x: number) => x * 10;
export const viaNamespaceReexport = (x: number) => x * 30;
export const viaReexport = function (x: number): number {
  return x * 20;
};
`;

function emit(source: string, transform: "strip" | "none", commonjs: boolean): string {
  const project = new TempProject("choragen-reach-", commonjs ? "commonjs" : "module");
  try {
    project.write("src/perf-local.ts", fs.readFileSync(path.join(RELIABILITY_FIXTURES, "perf-local.ts"), "utf8"));
    project.write("src/subject.ts", source);
    const result = compile(project, ["src/subject.ts", "src/perf-local.ts"], { transform });
    assert.equal(result.diagnostics.length, 0, result.formatDiagnostics());
    return result.outputs.get("src/subject.js") ?? assert.fail("no output");
  } finally {
    project.remove();
  }
}

for (const commonjs of [true, false]) {
  test(`strip through namespace, alias and local re-export is byte-identical to the plain source (${commonjs ? "CommonJS" : "ESM"})`, {
  }, () => {
    assert.equal(emit(ANNOTATED, "strip", commonjs), emit(PLAIN, "none", commonjs));
  });
}

test("strip through a namespace import and an alias drops those imports", () => {
  const annotated = ANNOTATED.replace(/^import \{ perf as local.*\n/m, "").replace(/^export const viaNamespaceReexport.*\n/m, "").replace(/^export const viaReexport[\s\S]*$/m, "");
  const plain = PLAIN.replace(/^export const viaNamespaceReexport.*\n/m, "").replace(/^export const viaReexport[\s\S]*$/m, "");
  assert.equal(emit(annotated, "strip", true), emit(plain, "none", true));
});

test("annotations type-check on generic methods, with experimentalDecorators", () => {
  assert.deepEqual(genericMethodErrors(true), []);
});

test("annotations type-check on generic methods, with standard decorators", {
}, () => {
  assert.deepEqual(genericMethodErrors(false), []);
});

function genericMethodErrors(experimentalDecorators: boolean): string[] {
  const project = new TempProject("choragen-generic-");
  try {
    project.write(
      "src/generic.ts",
      `import { perf } from "@choragen/perf";
export class Store {
  @perf.latency({ max: 1, unit: "ms" })
  first<T>(items: readonly T[]): T | undefined {
    return items[0];
  }

  @perf.memory({ max: 1, unit: "MB" })
  same<T extends object>(value: T): T {
    return value;
  }

  @perf.latency({ max: 1, unit: "ms" })
  async later<T>(value: T): Promise<T> {
    return value;
  }
}
`,
    );
    const tsi = typescriptUnderTest();
    const result = compile(project, ["src/generic.ts"], { transform: "instrument", compilerOptions: { experimentalDecorators, lib: ["lib.es2022.d.ts"], module: tsi.ModuleKind.Node16 } });
    return result.diagnostics.map((d) => `TS${d.code} at line ${d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : "?"}`);
  } finally {
    project.remove();
  }
}
