import { test } from "node:test";
import * as assert from "node:assert/strict";
import { HostProject } from "./support";

/**
 * A build whose files never mention @choragen/perf must not pay for the transform: the plugin loads its core
 * (decide, emit, magic-string, the config loader, TypeScript's parser) at the first file that does. The cost goal
 * this serves (≤ 1.01× of the build without the plugin) is measured by `npm run bench:hosts`; this checks the
 * mechanism, in a real esbuild and a real Vite build, without timing anything. The annotated project is the
 * control: there the same probe must see the core loaded.
 */
const CHECK = `import { createRequire } from "node:module";
const [bundler, entry] = process.argv.slice(2);
if (bundler === "esbuild") {
  const esbuild = await import("esbuild");
  const perf = (await import("@choragen/perf/esbuild")).default;
  await esbuild.build({ entryPoints: [entry], bundle: true, format: "esm", platform: "node", outfile: "out/esbuild.mjs", external: ["@choragen/perf*"], plugins: [perf({ mode: "instrument" })], logLevel: "silent" });
} else {
  const vite = await import("vite");
  const perf = (await import("@choragen/perf/vite")).default;
  await vite.build({ configFile: false, root: process.cwd(), logLevel: "silent", plugins: [perf({ mode: "instrument" })],
    build: { ssr: entry, outDir: "out", emptyOutDir: false, minify: false, rollupOptions: { external: [/^@choragen\\/perf/], output: { entryFileNames: "vite.mjs" } } } });
}
const loaded = Object.keys(createRequire(import.meta.url).cache);
const has = (pattern) => loaded.some((file) => pattern.test(file.replace(/\\\\/g, "/")));
console.log(JSON.stringify({
  core: has(/\\/transformer\\/source\\/index\\.js$/),
  magicString: has(/\\/magic-string\\//),
  typescript: has(/\\/typescript6?\\/lib\\/typescript\\.js$/),
  config: has(/\\/dist\\/config\\/index\\.js$/),
}));
`;

for (const bundler of ["esbuild", "vite"] as const) {
  test(`${bundler}: files that never mention @choragen/perf load none of the transform core; annotated ones do`, async () => {
    const project = new HostProject(`lazy-core-${bundler}`);
    try {
      project.write("check.mjs", CHECK);
      project.copy("plain");
      const plain = await project.node(["check.mjs", bundler, "src/prod.ts"]);
      assert.equal(plain.status, 0, plain.stderr);
      assert.deepEqual(JSON.parse(plain.stdout), { core: false, magicString: false, typescript: false, config: false });
      project.copy("annotated");
      const annotated = await project.node(["check.mjs", bundler, "src/prod.ts"]);
      assert.equal(annotated.status, 0, annotated.stderr);
      assert.deepEqual(JSON.parse(annotated.stdout), { core: true, magicString: true, typescript: true, config: true });
    } finally {
      project.remove();
    }
  });
}
