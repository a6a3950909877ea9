/**
 * What the bundler plugins cost, as ratios to the same bundler's build without the plugin, measured side by side
 * (interleaved rounds, medians), on the generated 500-file application (bench-self/generated-project.ts):
 *   npm run bench:hosts -- [--files 500] [--rounds 5] [--bundlers esbuild,vite] [--share 0.4]
 * (`--share`: the chance that a generated file carries contracts; see generated-project.ts)
 * - annotated, instrument: the annotated project with the plugin / the same project without it;
 * - plain, plugin on: a project that never mentions @choragen/perf, with / without the plugin (goal ≤ 1.01×);
 * - annotated, strip: with the plugin in production / the plain project without it (and the two bundles compared);
 * - the core alone: SourceTransformer.transform per file, in this process.
 * Each build runs in its own node process through test/fixtures/hosts/build.mjs, the script the host tests use.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SourceTransformer } from "../transformer/source";
import { loadTypeScript, parseSource } from "../transformer/source/parser";
import { DEFAULT_SHARE, writeGeneratedProject } from "./generated-project";
import { childrenCpuMs, median } from "./stats";

const repo = path.resolve(__dirname, "..", "..");

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function project(variant: "annotated" | "plain", count: number, share: number): { dir: string; files: readonly string[] } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `choragen-bench-hosts-${variant}-`)));
  const { files } = writeGeneratedProject(dir, variant, count, undefined, share);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `bench-${variant}`, private: true, type: "module" }));
  const entry = files.map((f, i) => `import * as m${i} from "./${path.relative("src", f).replace(/\.ts$/, "")}";\nexport { m${i} };`).join("\n");
  fs.writeFileSync(path.join(dir, "src", "index.ts"), entry + "\n");
  fs.copyFileSync(path.join(repo, "test", "fixtures", "hosts", "build.mjs"), path.join(dir, "build.mjs"));
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(path.join(modules, "@choragen"), { recursive: true });
  fs.symlinkSync(repo, path.join(modules, "@choragen", "perf"), "dir");
  for (const tool of ["esbuild", "vite", "rollup", "rolldown"]) fs.symlinkSync(fs.realpathSync(path.join(repo, "node_modules", tool)), path.join(modules, tool), "dir");
  return { dir, files };
}

interface BuildTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function build(dir: string, bundler: string, mode: string, out: string): BuildTime {
  const cpu = childrenCpuMs();
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["build.mjs", bundler, mode, "src/index.ts", out], { cwd: dir, encoding: "utf8", env: { ...process.env, NODE_ENV: "", CHORAGEN_PERF_MODE: "" } });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${bundler} ${mode} in ${dir} failed:\n${run.stderr}`);
  return { wallMs, cpuMs: childrenCpuMs() - cpu };
}

/**
 * A build that did not do what its row says is refused rather than timed: the instrumented bundle holds inlined
 * probes (the probe surface's import), the annotated one built without the plugin none, and the plugin leaves a
 * project that never mentions @choragen/perf byte for byte as it was.
 */
function checkMeasured(bundler: string, instrumented: string, withoutPlugin: string, plainUnchanged: boolean): void {
  const probes = (code: string): boolean => code.includes("@choragen/perf/probe");
  if (!probes(instrumented)) throw new Error(`${bundler}: the instrumented bundle holds no inlined probe: the plugin did not run`);
  if (probes(withoutPlugin)) throw new Error(`${bundler}: the bundle built without the plugin holds inlined probes`);
  if (!plainUnchanged) throw new Error(`${bundler}: the plugin changed the bundle of a project that never mentions @choragen/perf`);
}

function main(): void {
  const count = Number(option("--files", "500"));
  const rounds = Number(option("--rounds", "5"));
  const bundlers = option("--bundlers", "esbuild,vite").split(",");
  const share = Number(option("--share", String(DEFAULT_SHARE)));
  const annotated = project("annotated", count, share);
  const plain = project("plain", count, share);
  console.log(`node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (${os.cpus().length} cores)`);
  try {
    // The core alone, in this process: every file of the annotated project, six passes (the first warms up and
    // loads TypeScript; the fastest of the rest is reported), beside TypeScript's parser alone on the same files.
    const core = new SourceTransformer({ mode: "instrument", cwd: annotated.dir });
    const texts = annotated.files.map((f) => [path.join(annotated.dir, f), fs.readFileSync(path.join(annotated.dir, f), "utf8")] as const);
    const tsi = loadTypeScript();
    let coreMs = Infinity;
    let parseMs = Infinity;
    for (let pass = 0; pass < 6; pass++) {
      let start = process.hrtime.bigint();
      for (const [file, text] of texts) core.transform(text, file);
      if (pass > 0) coreMs = Math.min(coreMs, Number(process.hrtime.bigint() - start) / 1e6);
      start = process.hrtime.bigint();
      for (const [file, text] of texts) if (text.includes("@choragen/perf")) parseSource(tsi, file, text);
      if (pass > 0) parseMs = Math.min(parseMs, Number(process.hrtime.bigint() - start) / 1e6);
    }
    const plainTexts = plain.files.map((f) => fs.readFileSync(path.join(plain.dir, f), "utf8"));
    const skipStart = process.hrtime.bigint();
    for (const text of plainTexts) core.transform(text, "x.ts");
    const skipMs = Number(process.hrtime.bigint() - skipStart) / 1e6;
    const annotatedFiles = texts.filter(([, text]) => text.includes("@choragen/perf")).length;
    console.log(`core: the annotated project's ${count} files (${annotatedFiles} mention @choragen/perf) in ${coreMs.toFixed(1)} ms (${((coreMs / annotatedFiles) * 1000).toFixed(0)} µs per annotated file), of which TypeScript's parser alone ${parseMs.toFixed(1)} ms; the plain project's ${count} files in ${skipMs.toFixed(2)} ms (a substring test each)`);
    for (const bundler of bundlers) {
      const times: Record<string, BuildTime[]> = { annotatedNone: [], annotatedInstrument: [], plainNone: [], plainPlugin: [], annotatedStrip: [] };
      for (let r = 0; r < rounds; r++) {
        times["annotatedNone"]!.push(build(annotated.dir, bundler, "none", `out/${bundler}-none.mjs`));
        times["annotatedInstrument"]!.push(build(annotated.dir, bundler, "instrument", `out/${bundler}-instrument.mjs`));
        times["plainNone"]!.push(build(plain.dir, bundler, "none", `out/${bundler}-none.mjs`));
        times["plainPlugin"]!.push(build(plain.dir, bundler, "instrument", `out/${bundler}-plugin.mjs`));
        times["annotatedStrip"]!.push(build(annotated.dir, bundler, "strip", `out/${bundler}-strip.mjs`));
      }
      const m = (k: string): number => median(times[k]!.map((t) => t.wallMs));
      const c = (k: string): number => median(times[k]!.map((t) => t.cpuMs));
      const both = (a: string, b: string): string => `${(m(a) / m(b)).toFixed(3)}×  (${m(a).toFixed(0)} / ${m(b).toFixed(0)} ms)   CPU ${(c(a) / c(b)).toFixed(3)}×  (${c(a).toFixed(0)} / ${c(b).toFixed(0)} ms, +${(c(a) - c(b)).toFixed(0)} ms)`;
      const bundle = (dir: string, name: string): string => fs.readFileSync(path.join(dir, "out", `${bundler}-${name}.mjs`), "utf8");
      const identical = bundle(annotated.dir, "strip") === bundle(plain.dir, "none");
      checkMeasured(bundler, bundle(annotated.dir, "instrument"), bundle(annotated.dir, "none"), bundle(plain.dir, "plugin") === bundle(plain.dir, "none"));
      console.log(`${bundler} (${count} files, ${annotatedFiles} mention @choragen/perf; median of ${rounds} interleaved rounds, whole build process: wall, and CPU of the build process):`);
      console.log(`  annotated, instrument / no plugin   ${both("annotatedInstrument", "annotatedNone")}`);
      console.log(`  plain, plugin / no plugin           ${both("plainPlugin", "plainNone")}`);
      console.log(`  annotated strip / plain no plugin   ${both("annotatedStrip", "plainNone")}  (bundles byte-identical: ${identical ? "yes" : "NO"})`);
      console.log(`  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    }
  } finally {
    fs.rmSync(annotated.dir, { recursive: true, force: true });
    fs.rmSync(plain.dir, { recursive: true, force: true });
  }
}

main();
