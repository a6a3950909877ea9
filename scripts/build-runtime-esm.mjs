// The runtime's ESM build, run by `npm run build` after tsc: runtime/esm.mts and runtime/probe-esm.mts (the
// ESM surface, whose declarations tsc writes) bundled by esbuild into dist/runtime/esm/, with the modules
// both entries use in one shared chunk. Real ESM: `import ... from "node:..."`, no require, no __dirname, no
// module, so an ESM bundle of an application that imports @choragen/perf starts (issue 13, item 5).
//
// Why esbuild and not a second tsc pass: tsc emits ESM that Node can load only with explicit `.js`
// extensions in every relative import of runtime/ (the CommonJS build does not need them); esbuild
// resolves them itself, so the sources stay as they are. It takes about 30 ms (printed below).
//
// One registry either way: every copy of the runtime (this one, the CommonJS one, another install) keeps
// its contracts, violations and journal on globalThis under Symbol.for("@choragen/perf") (runtime/state.ts).
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "dist", "runtime", "esm");
const started = performance.now();

fs.rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { index: "runtime/esm.mts", probe: "runtime/probe-esm.mts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outExtension: { ".js": ".mjs" },
  chunkNames: "runtime-[hash]",
  sourcemap: true,
  sourcesContent: true,
  // The runtime has no dependencies; node:* built-ins stay imports (platform "node").
  packages: "external",
  logLevel: "warning",
  metafile: true,
});

// The build must be what it claims: no CommonJS left anywhere in what it wrote.
const COMMONJS = /\brequire\s*\(|\b__dirname\b|\b__filename\b|\bmodule\.exports\b|\bexports\.|createRequire/;
for (const file of Object.keys(result.metafile.outputs)) {
  if (!file.endsWith(".mjs")) continue;
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const hit = COMMONJS.exec(text);
  if (hit) throw new Error(`${file}: the ESM runtime must not contain ${JSON.stringify(hit[0])}`);
}
// tsc also compiled esm.mts and probe-esm.mts (for their declarations): those .mjs files re-export the
// CommonJS build and are not what the package exports; removed so nothing loads them by accident.
for (const name of ["esm", "probe-esm"]) {
  for (const ext of [".mjs", ".mjs.map"]) fs.rmSync(path.join(root, "dist", "runtime", name + ext), { force: true });
}
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`runtime ESM build: ${Object.keys(result.metafile.outputs).length} files, ${bytes} B, ${(performance.now() - started).toFixed(0)} ms`);
