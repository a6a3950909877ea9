import { test } from "node:test";
import * as assert from "node:assert/strict";
import { HostProject } from "../hosts/support";

const APP = `import { perf } from "@choragen/perf";

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

export const slow = perf.latency({ max: 1, unit: "ms" }, (n: number) => {
  spin(3);
  return n;
});
slow(1);
console.log(JSON.stringify(perf.violations().map((v) => [v.target, v.file, v.line])));
`;

/**
 * The runtime bundled into the application (esbuild, CommonJS output, no transform: the fallback). The
 * runtime's code and the user's share one file, so the violation must still name the line of the call.
 */
test("fallback inside a bundle: a violation names the bundle file and the line of the perf.latency call", async () => {
  const project = new HostProject("bundled-runtime");
  try {
    project.write("src/app.ts", APP);
    project.write("build.mjs", `import * as esbuild from "esbuild";\nawait esbuild.build({ entryPoints: ["src/app.ts"], bundle: true, platform: "node", format: "cjs", outfile: "out/app.cjs", logLevel: "warning" });\n`);
    const build = await project.node(["build.mjs"]);
    assert.equal(build.status, 0, build.stderr);
    const run = await project.node(["out/app.cjs"]);
    assert.equal(run.status, 0, run.stderr);
    const [target, file, line] = (JSON.parse(run.stdout) as [string, string, number][])[0] ?? [];
    assert.equal(target, "slow");
    assert.equal(file, "out/app.cjs");
    const text = project.read("out/app.cjs").split("\n")[(line ?? 0) - 1] ?? "";
    assert.match(text, /slow = .*latency\(/, `line ${line} of the bundle is the call: ${text}`);
  } finally {
    project.remove();
  }
});
