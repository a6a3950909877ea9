import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { TempProject, tspcUnderTest } from "../support/project";

/**
 * Incremental builds re-emit a file only when its text or an emit option changed. The mode is neither, so the
 * program transformer `modeInBuildInfo` puts it into each file's version in .tsbuildinfo. Real tspc runs.
 */
const SOURCE = `import { perf } from "@choragen/perf";

export class Inventory {
  @perf.latency({ max: 1, unit: "ms" })
  reserve(count: number): boolean {
    return count > 0;
  }
}
`;

const MODE_ENTRY = { transform: "@choragen/perf/transformer", import: "modeInBuildInfo", transformProgram: true };

function project(build: Record<string, boolean>, withModeEntry: boolean): TempProject {
  const p = new TempProject("choragen-incremental-");
  p.write("src/inventory.ts", SOURCE);
  p.write(
    "tsconfig.json",
    JSON.stringify({
      compilerOptions: {
        target: "ES2022", module: "Node16", moduleResolution: "Node16", strict: true, skipLibCheck: true,
        outDir: "dist", rootDir: "src", types: [], lib: ["ES2022"], ...build,
        plugins: [{ transform: "@choragen/perf/transformer" }, ...(withModeEntry ? [MODE_ENTRY] : [])],
      },
      include: ["src"],
    }),
  );
  return p;
}

function tspc(p: TempProject, args: readonly string[], env: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [tspcUnderTest(), ...args], {
    cwd: p.dir, encoding: "utf8", env: { ...process.env, CHORAGEN_PERF_MODE: "", NODE_ENV: "", ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const PRODUCTION = { NODE_ENV: "production" };
const DEVELOPMENT = { NODE_ENV: "development" };

for (const [label, build, args] of [
  ["incremental", { incremental: true }, ["-p", "tsconfig.json"]],
  ["composite", { composite: true }, ["-p", "tsconfig.json"]],
] as const) {
  test(`${label}: NODE_ENV=production after an instrumented build re-emits stripped, and back`, () => {
    const p = project(build, true);
    try {
      let run = tspc(p, args, DEVELOPMENT);
      assert.equal(run.status, 0, run.output);
      assert.match(p.read("dist/inventory.js"), /__perf/);
      run = tspc(p, args, PRODUCTION);
      assert.equal(run.status, 0, run.output);
      assert.doesNotMatch(p.read("dist/inventory.js"), /perf/, "the production build shipped the probes");
      run = tspc(p, args, DEVELOPMENT);
      assert.equal(run.status, 0, run.output);
      assert.match(p.read("dist/inventory.js"), /__perf/, "the development build kept the stripped output");
    } finally {
      p.remove();
    }
  });
}

test("incremental without the mode entry is a compile error that names the entry to add", () => {
  const p = project({ incremental: true }, false);
  try {
    const run = tspc(p, ["-p", "tsconfig.json"], DEVELOPMENT);
    assert.notEqual(run.status, 0);
    assert.match(run.output, /error TS91013: @choragen\/perf: this build is incremental/);
    assert.ok(run.output.includes(JSON.stringify(MODE_ENTRY).replace(/,/g, ", ").replace(/:/g, ": ").replace("{", "{ ").replace(/}$/, " }")), run.output);
  } finally {
    p.remove();
  }
});

test("tspc -b: an up-to-date project is not even loaded, so a mode change by environment needs --force (documented)", () => {
  const p = project({ composite: true }, true);
  try {
    assert.equal(tspc(p, ["-b", "."], DEVELOPMENT).status, 0);
    assert.equal(tspc(p, ["-b", "."], PRODUCTION).status, 0);
    assert.match(p.read("dist/inventory.js"), /__perf/, "if tsc -b now sees the mode, update the incremental section of docs/transformer-output.md");
    assert.equal(tspc(p, ["-b", ".", "--force"], PRODUCTION).status, 0);
    assert.doesNotMatch(p.read("dist/inventory.js"), /perf/);
  } finally {
    p.remove();
  }
});
