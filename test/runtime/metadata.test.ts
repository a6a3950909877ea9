import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { SourceTransformer } from "../../transformer/source";
import { HostProject } from "../hosts/support";

const FIXTURES = path.join(__dirname, "..", "..", "..", "test", "fixtures", "runtime", "metadata");

const EXPECTED = {
  experimental: { create: ["/orders", 1, ["validation"], "documented"], update: ["/orders/:id", 1, ["parse"], "documented"], calls: ["created", "updated"] },
  standard: { create: ["/orders", "/orders"], update: ["/orders/:id", "/orders/:id"], calls: ["created", "updated"] },
};

/**
 * NestJS-style decorators stacked with @perf.latency, in both orders and both decorator dialects, keep the
 * metadata they put on the method: with the runtime decorators (no transform: tsc/tsx/ts-node) and through
 * the source-level core (the bundler hosts) in both modes.
 */
for (const dialect of ["experimental", "standard"] as const) {
  for (const build of ["runtime decorators", "source core, instrument", "source core, strip"] as const) {
    test(`${dialect} decorators, ${build}: other decorators' metadata survives @perf.latency above and below them`, async () => {
      const project = new HostProject("metadata");
      try {
        project.write("package.json", JSON.stringify({ name: "fixture", private: true, type: "commonjs" }));
        fs.symlinkSync(fs.realpathSync(path.join(__dirname, "..", "..", "..", "node_modules", "reflect-metadata")), path.join(project.dir, "node_modules", "reflect-metadata"), "dir");
        const fileName = path.join(project.dir, `${dialect}.ts`);
        let source = fs.readFileSync(path.join(FIXTURES, `${dialect}.ts`), "utf8");
        if (build !== "runtime decorators") {
          const core = new SourceTransformer({ mode: build.endsWith("strip") ? "strip" : "instrument", cwd: project.dir });
          const result = core.transform(source, fileName);
          assert.deepEqual(result.diagnostics, []);
          assert.ok(result.code !== undefined);
          source = result.code;
        }
        const js = ts.transpileModule(source, {
          fileName,
          compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: dialect === "experimental", emitDecoratorMetadata: dialect === "experimental" },
        }).outputText;
        project.write(`${dialect}.js`, js);
        const run = await project.node([`${dialect}.js`]);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), EXPECTED[dialect]);
      } finally {
        project.remove();
      }
    });
  }
}
