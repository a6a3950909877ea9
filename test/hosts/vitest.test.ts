import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { HostProject } from "./support";

/**
 * Vitest 4 on Vite 8 (Oxc, which leaves standard decorators untransformed): with the plugin in
 * vitest.config.ts the annotations are inlined before Oxc sees them, and the test inside asserts the
 * violations (target, TypeScript file and line). Without the plugin the same test file cannot even load.
 */
test("vitest 4 with @choragen/perf/vite: annotated code runs inlined and its test passes", async () => {
  const project = new HostProject("host-vitest");
  try {
    project.copy("annotated");
    project.copy("vitest");
    const vitest = path.join(project.dir, "node_modules", "vitest", "vitest.mjs");
    const withPlugin = await project.node([vitest, "run", "--reporter=dot"]);
    assert.equal(withPlugin.status, 0, `${withPlugin.stdout}\n${withPlugin.stderr}`);
    assert.match(withPlugin.stdout, /1 passed/);
    // The same project without the plugin: Vite 8 hands the standard decorators to Node as written.
    project.write("vitest.config.ts", `import { defineConfig } from "vitest/config";\nexport default defineConfig({ test: { include: ["test/**/*.test.ts"] } });\n`);
    const without = await project.node([vitest, "run", "--reporter=dot"]);
    assert.notEqual(without.status, 0, "without the plugin this run was expected to fail on the decorators");
    assert.match(without.stdout + without.stderr, /SyntaxError/);
  } finally {
    project.remove();
  }
});
