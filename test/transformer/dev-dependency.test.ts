/**
 * The README says `@choragen/perf` can be a devDependency when every build that ships is stripped: such a build
 * never imports the package. Checked the way a user would find out: a real `tspc` production build, then the
 * package removed from node_modules (as `npm ci --omit=dev` leaves it), then the program run. The instrumented
 * build of the same project is the control: without the package it must fail to load, or removing it proved nothing.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { TempProject, tspcAppTsconfig, tspcUnderTest } from "../support/project";

const SERVICE = `import { perf } from "@choragen/perf";

export class Inventory {
  private readonly stock = new Map<string, number>();

  @perf.latency({ max: 50, unit: "ms" })
  @perf.memory({ max: 1, unit: "MB" })
  reserve(sku: string, count: number): boolean {
    const t = perf.startTimer("reserve");
    const have = this.stock.get(sku) ?? 0;
    perf.assertLatency(t, { max: 10, unit: "ms" });
    if (have < count) return false;
    this.stock.set(sku, have - count);
    return true;
  }

  @perf.latency({ max: 2, unit: "ms", percentile: 95 })
  async restock(sku: string, count: number): Promise<void> {
    this.stock.set(sku, (this.stock.get(sku) ?? 0) + count);
  }
}

export const total = perf.latency({ max: 5, unit: "ms" }, (counts: number[]): number => counts.reduce((a, b) => a + b, 0));
`;

const MAIN = `import { Inventory, total } from "./inventory.js";

const inventory = new Inventory();
await inventory.restock("apple", 3);
console.log(JSON.stringify({ reserved: inventory.reserve("apple", 2), total: total([1, 2, 3]) }));
`;

function project(flavour: "commonjs" | "module", decorators: "standard" | "experimental"): TempProject {
  const p = new TempProject("choragen-devdep-", flavour);
  p.write("src/inventory.ts", SERVICE);
  // Top-level await needs ES modules; CommonJS gets the same program in an async function.
  p.write("src/main.ts", flavour === "module" ? MAIN : MAIN.replace(/^(const inventory[\s\S]*)$/m, "void (async () => {\n$1})();\n"));
  p.write("tsconfig.json", tspcAppTsconfig(decorators === "experimental" ? { experimentalDecorators: true } : {}));
  return p;
}

function tspc(p: TempProject, env: Record<string, string | undefined>): void {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
  const result = spawnSync(process.execPath, [tspcUnderTest(), "-p", "tsconfig.json"], { cwd: p.dir, encoding: "utf8", env: merged });
  assert.equal(result.status, 0, `tspc failed:\n${result.stdout}\n${result.stderr}`);
}

/** What `npm ci --omit=dev` leaves of a devDependency: nothing. */
function uninstall(p: TempProject): void {
  fs.rmSync(path.join(p.dir, "node_modules", "@choragen"), { recursive: true, force: true });
  assert.equal(fs.existsSync(path.join(p.dir, "node_modules", "@choragen", "perf")), false);
}

const EXPECTED = JSON.stringify({ reserved: true, total: 6 });

for (const [flavour, decorators] of [["commonjs", "standard"], ["module", "experimental"]] as const) {
  test(`a production build (${flavour}, ${decorators} decorators) runs with @choragen/perf uninstalled; the instrumented build does not`, () => {
    const p = project(flavour, decorators);
    try {
      tspc(p, { NODE_ENV: "production", CHORAGEN_PERF_MODE: undefined });
      for (const file of ["dist/inventory.js", "dist/main.js"]) {
        assert.doesNotMatch(p.read(file), /@choragen\/perf|__perf|\bperf\./, `${file} still refers to the package:\n${p.read(file)}`);
      }
      uninstall(p);
      const stripped = p.node(["dist/main.js"]);
      assert.equal(stripped.status, 0, stripped.stderr);
      assert.equal(stripped.stdout.trim(), EXPECTED);

      // The control: the same project instrumented needs the package, so its absence must show.
      const instrumented = project(flavour, decorators);
      try {
        tspc(instrumented, { NODE_ENV: undefined, CHORAGEN_PERF_MODE: "instrument" });
        assert.equal(instrumented.node(["dist/main.js"]).stdout.trim(), EXPECTED, "the instrumented build runs while the package is installed");
        uninstall(instrumented);
        const missing = instrumented.node(["dist/main.js"]);
        assert.notEqual(missing.status, 0, "an instrumented build cannot run without @choragen/perf");
        assert.match(missing.stderr, /@choragen\/perf/);
      } finally {
        instrumented.remove();
      }
    } finally {
      p.remove();
    }
  });
}
