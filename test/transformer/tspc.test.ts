import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { SourceMap } from "node:module";
import { TempProject, tspcAppTsconfig, tspcUnderTest } from "../support/project";

const SERVICE = `import { perf } from "@choragen/perf";

export class Inventory {
  private stock = new Map<string, number>();

  @perf.latency({ max: 1, unit: "ns" })
  reserve(sku: string, count: number): boolean {
    const have = this.stock.get(sku) ?? 0;
    if (have < count) {
      return false;
    }
    this.stock.set(sku, have - count);
    return true;
  }

  restock(sku: string, count: number): void {
    this.stock.set(sku, (this.stock.get(sku) ?? 0) + count);
  }
}
`;

const MAIN = `import { perf } from "@choragen/perf";
import { Inventory } from "./inventory.js";

const inventory = new Inventory();
inventory.restock("apple", 3);
const ok = inventory.reserve("apple", 2);
console.log(JSON.stringify({ ok, violations: perf.violations().map((v) => [v.target, v.file, v.line]) }));
`;

function project(flavour: "commonjs" | "module", mode: "instrument" | "strip" | undefined): TempProject {
  const p = new TempProject("choragen-tspc-", flavour);
  p.write("src/inventory.ts", SERVICE);
  p.write("src/main.ts", MAIN);
  p.write("tsconfig.json", tspcAppTsconfig({ sourceMap: true }, mode ? { mode } : {}));
  return p;
}

function tspc(p: TempProject, env: Record<string, string> = {}): void {
  const result = spawnSync(process.execPath, [tspcUnderTest(), "-p", "tsconfig.json"], { cwd: p.dir, encoding: "utf8", env: { ...process.env, ...env } });
  assert.equal(result.status, 0, `tspc failed:\n${result.stdout}\n${result.stderr}`);
}

for (const flavour of ["commonjs", "module"] as const) {
  test(`tspc with the plugin entry instruments a ${flavour} project, and its output runs`, () => {
    const p = project(flavour, undefined);
    try {
      tspc(p);
      const run = p.node(["dist/main.js"]);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), { ok: true, violations: [["Inventory.reserve", "src/inventory.ts", 6]] });
    } finally {
      p.remove();
    }
  });
}

test("tspc strips in production: NODE_ENV=production, and CHORAGEN_PERF_MODE wins over it", () => {
  const p = project("commonjs", undefined);
  try {
    tspc(p, { NODE_ENV: "production", CHORAGEN_PERF_MODE: "" });
    const stripped = p.read("dist/inventory.js");
    assert.doesNotMatch(stripped, /perf/);
    assert.deepEqual(JSON.parse(p.node(["dist/main.js"]).stdout).violations, []);
    tspc(p, { NODE_ENV: "production", CHORAGEN_PERF_MODE: "instrument" });
    assert.match(p.read("dist/inventory.js"), /__perf/);
  } finally {
    p.remove();
  }
});

test("tspc reports a misuse as a compile error with file, line and column", () => {
  const p = project("commonjs", "instrument");
  try {
    p.write("src/inventory.ts", SERVICE.replace('{ max: 1, unit: "ns" }', '{ max: 0, unit: "ns" }'));
    const result = spawnSync(process.execPath, [tspcUnderTest(), "-p", "tsconfig.json"], { cwd: p.dir, encoding: "utf8" });
    assert.notEqual(result.status, 0);
    assert.match(result.stdout, /src\/inventory\.ts[:(]6[:,]24\)?.*error TS91006: perf\.latency "max" must be a finite number greater than 0; found 0/);
  } finally {
    p.remove();
  }
});

test("source maps still map the original statements to their original lines", () => {
  const p = project("commonjs", "instrument");
  try {
    tspc(p);
    const js = p.read("dist/inventory.js");
    const map = new SourceMap(JSON.parse(p.read("dist/inventory.js.map")));
    const jsLines = js.split("\n");
    const tsLines = SERVICE.split("\n");
    for (const statement of ["const have = this.stock.get(sku) ?? 0;", "return false;", "this.stock.set(sku, have - count);", "return true;"]) {
      const generatedLine = jsLines.findIndex((l) => l.includes(statement));
      assert.ok(generatedLine >= 0, statement);
      const column = jsLines[generatedLine]!.indexOf(statement);
      const entry = map.findEntry(generatedLine, column) as { originalLine?: number; originalSource?: string };
      assert.equal(tsLines[entry.originalLine!]?.trim(), statement, `${statement} maps to line ${entry.originalLine! + 1}`);
      assert.equal(path.basename(entry.originalSource ?? ""), "inventory.ts");
    }
  } finally {
    p.remove();
  }
});
