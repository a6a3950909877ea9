import { describe, test, after } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/project";
import { EXPECTED_VIOLATIONS as EXPECTED, HostProject } from "./support";

/**
 * Issue 13, item 5: the ESM entry is real ESM. An application bundled into one ESM file with the runtime inside
 * (esbuild and Rollup, format esm, platform node) starts and records its violations, with and without our
 * plugin. Before, `import` resolved to a re-export of the CommonJS build and the bundle died at start with
 * `Dynamic require of "node:…" is not supported`.
 */

/** A CommonJS trace in built code: what an ESM bundle cannot run. */
const COMMONJS = /\brequire\s*\(|\b__dirname\b|\b__filename\b|\bmodule\.exports\b|Dynamic require/;

type Row = [string, string, string, number];
const lastLine = (stdout: string): Row[] => JSON.parse(stdout.trim().split("\n").pop() ?? "[]") as Row[];

test("the runtime's ESM build (what `import` resolves to) has no require, __dirname or module", () => {
  const dir = path.join(REPO_ROOT, "dist", "runtime", "esm");
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".mjs"));
  assert.ok(files.includes("index.mjs") && files.includes("probe.mjs"), `built: ${files.join(", ")}`);
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    assert.doesNotMatch(text, COMMONJS, file);
    for (const [, from] of text.matchAll(/^import\b[^"']*["']([^"']+)["']/gm)) {
      assert.ok(from!.startsWith("node:") || from!.startsWith("./"), `${file} imports ${from}: only node built-ins and its own chunk`);
    }
  }
});

for (const bundler of ["esbuild", "rollup"] as const) {
  describe(`${bundler}: one ESM bundle with the runtime inside`, () => {
    const project = new HostProject(`esm-bundle-${bundler}`);
    project.copy("annotated");
    project.copy("build-esm-bundle.mjs", "build-esm-bundle.mjs");
    after(() => project.remove());

    const built = new Map<string, Promise<string>>();
    const build = (mode: "instrument" | "none"): Promise<string> => {
      let out = built.get(mode);
      if (out === undefined) built.set(mode, (out = buildOnce(mode)));
      return out;
    };
    const buildOnce = async (mode: "instrument" | "none"): Promise<string> => {
      const out = `out/${bundler}-${mode}.mjs`;
      const result = await project.node(["build-esm-bundle.mjs", bundler, mode, "src/main.ts", out]);
      assert.equal(result.status, 0, `${bundler} build failed:\n${result.stdout}\n${result.stderr}`);
      const bundle = project.read(out);
      assert.doesNotMatch(bundle, COMMONJS, "the bundle has CommonJS in it");
      assert.match(bundle, /getHeapStatistics/, "the runtime is inside the bundle, not loaded from node_modules");
      return out;
    };

    test("plugin (instrument): starts, records every violation at its TypeScript file and line, writes the report", async () => {
      const out = await build("instrument");
      assert.match(project.read(out), /origin: "inline"/, "the probes are inlined");
      const report = path.join(project.dir, "report.json");
      const run = await project.node([out], { CHORAGEN_PERF_REPORT: report });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(lastLine(run.stdout), EXPECTED);
      const written = JSON.parse(fs.readFileSync(report, "utf8")) as { violations: { target: string; file: string; line: number }[] };
      assert.deepEqual(written.violations.map((v) => [v.target, v.file, v.line]).sort(), EXPECTED.map(([, target, file, line]) => [target, file, line]).sort());
    });

    test("no plugin (runtime decorators and perf.latency): starts and names the TypeScript lines through source maps", async () => {
      const out = await build("none");
      assert.doesNotMatch(project.read(out), /origin: "inline"/, "the fallback: nothing inlined");
      const run = await project.node(["--enable-source-maps", out]);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(lastLine(run.stdout), EXPECTED);
    });

    test("no plugin, no source maps: each violation names the bundle and the line of its annotation there", async () => {
      const out = await build("none");
      const run = await project.node([out]);
      assert.equal(run.status, 0, run.stderr);
      const rows = lastLine(run.stdout);
      assert.equal(rows.length, EXPECTED.length, run.stdout);
      const lines = project.read(out).split("\n");
      for (const [kind, target, file, line] of rows) {
        assert.equal(file, out, `${kind} ${target}`);
        const text = lines[line - 1] ?? "";
        const what = target === "report" ? /perf\.assertLatency\(/ : target === "parse" ? /parse = perf\.latency\(/ : kind === "memory" ? /perf\.memory\(/ : /perf\.latency\(/;
        assert.match(text, what, `${kind} ${target}: line ${line} of the bundle is its annotation: ${text}`);
      }
    });
  });
}
