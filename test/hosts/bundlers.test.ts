import { describe, test, after } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXPECTED_VIOLATIONS as EXPECTED, FIXTURES, HostProject } from "./support";

/** Every bundler host, built for real through test/fixtures/hosts/build.mjs (the lines a user writes). */
const BUNDLERS = ["esbuild", "vite", "vite7", "rollup", "rolldown", "webpack", "rspack"] as const;
type Bundler = (typeof BUNDLERS)[number];

const outFile = (bundler: Bundler, name: string): string => `out/${bundler}-${name}.${bundler === "webpack" || bundler === "rspack" ? "cjs" : "mjs"}`;

test("the fixture's expected lines are where the annotations are written", () => {
  const lines = fs.readFileSync(path.join(FIXTURES, "annotated", "src", "service.ts"), "utf8").split("\n");
  assert.match(lines[8]!, /@perf\.latency/);
  assert.match(lines[14]!, /@perf\.memory/);
  assert.match(lines[15]!, /@perf\.latency/);
  assert.match(lines[23]!, /perf\.assertLatency/);
  assert.match(lines[28]!, /perf\.latency\(/);
});

for (const bundler of BUNDLERS) {
  describe(bundler, () => {
    const project = new HostProject(`host-${bundler}`);
    project.copy("annotated");
    project.copy("build.mjs", "build.mjs");
    after(() => project.remove());

    const build = async (mode: string, entry: string, out: string, env: Record<string, string> = {}): Promise<void> => {
      const result = await project.node(["build.mjs", bundler, mode, entry, out], env);
      assert.equal(result.status, 0, `${bundler} build failed:\n${result.stdout}\n${result.stderr}`);
    };

    test("instrument: inlined probes record each violation with its target, TypeScript file and line", async () => {
      await build("instrument", "src/main.ts", outFile(bundler, "instrument"));
      const bundle = project.read(outFile(bundler, "instrument"));
      assert.match(bundle, /@choragen\/perf\/probe/, "the probes are inlined, not left to the runtime decorators");
      assert.doesNotMatch(bundle, /@perf\./);
      const run = await project.node([outFile(bundler, "instrument")]);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout.trim().split("\n").pop()!), EXPECTED);
    });

    test("strip: the production bundle is byte-identical to the same project written without annotations", async () => {
      // NODE_ENV=production, no option: the mode is resolved as in every host.
      await build("default", "src/prod.ts", outFile(bundler, "strip"), { NODE_ENV: "production" });
      const stripped = project.readBytes(outFile(bundler, "strip"));
      assert.doesNotMatch(stripped.toString(), /choragen|perf\.|__perf/);
      // The same folder, the plain sources: bundlers name modules by path, so only the annotations differ.
      project.copy("plain");
      try {
        await build("none", "src/prod.ts", outFile(bundler, "plain"));
      } finally {
        project.copy("annotated");
      }
      assert.ok(stripped.equals(project.readBytes(outFile(bundler, "plain"))), `${bundler}: stripped bundle differs from the plain one:\n${stripped.toString()}\n---\n${project.read(outFile(bundler, "plain"))}`);
      const run = await project.node([outFile(bundler, "strip")]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, "4 3 done\n1000000\n");
    });
  });
}
