import { test } from "node:test";
import * as assert from "node:assert/strict";
import { HostProject } from "./support";

/**
 * The CommonJS entries, as a webpack.config.js or rspack.config.js written with require() loads them: the
 * plugin factory itself (not a namespace with a `default`), and a real webpack build through it.
 */
test("require('@choragen/perf/<host>') gives the plugin factory for every host", async () => {
  const project = new HostProject("cjs-entries");
  try {
    project.write("check.cjs", `const shapes = {};
for (const host of ["vite", "rollup", "rolldown", "esbuild", "webpack", "rspack"]) {
  const perf = require("@choragen/perf/" + host);
  const plugin = perf({ mode: "strip" });
  shapes[host] = [typeof perf, typeof plugin.apply === "function" ? "apply" : typeof plugin.setup === "function" ? "setup" : typeof plugin.name];
}
console.log(JSON.stringify(shapes));
`);
    const run = await project.node(["check.cjs"]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      vite: ["function", "string"],
      rollup: ["function", "string"],
      rolldown: ["function", "string"],
      esbuild: ["function", "setup"],
      webpack: ["function", "apply"],
      rspack: ["function", "apply"],
    });
  } finally {
    project.remove();
  }
});

test("a CommonJS webpack config with require('@choragen/perf/webpack') strips the annotations", async () => {
  const project = new HostProject("cjs-webpack");
  try {
    project.copy("annotated");
    project.write("build.cjs", `const path = require("node:path");
const webpack = require("webpack");
const perf = require("@choragen/perf/webpack");
webpack({
  mode: "none", context: __dirname, entry: "./src/prod.ts", target: "node20", devtool: false,
  output: { path: path.join(__dirname, "out"), filename: "prod.cjs" },
  resolve: { extensions: [".ts", ".js"] },
  module: { rules: [{ test: /\\.ts$/, use: [{ loader: "esbuild-loader", options: { target: "es2022" } }] }] },
  plugins: [perf({ mode: "strip" })],
}).run((error, stats) => {
  if (error || stats.hasErrors()) { console.error(error ?? stats.toString("errors-only")); process.exit(1); }
});
`);
    const build = await project.node(["build.cjs"]);
    assert.equal(build.status, 0, build.stderr);
    assert.doesNotMatch(project.read("out/prod.cjs"), /choragen|perf\.|__perf/);
    const run = await project.node(["out/prod.cjs"]);
    assert.equal(run.stdout, "4 3 done\n1000000\n", run.stderr);
  } finally {
    project.remove();
  }
});
