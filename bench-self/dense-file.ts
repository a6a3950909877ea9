/**
 * Compile cost against annotations per file: one generated file with N annotated methods, compiled with `tspc` in
 * instrument mode, in strip mode, and (its twin written without annotations) without the plugin entry. The
 * annotated file is also compiled without the plugin entry (runtime decorators: what checking the decorators
 * costs, transformer or not). The transformer's share per annotation, (instrument − no plugin) / N, stays flat when its cost grows linearly with
 * the annotations of a file; it grew with N when every probe variable asked TypeScript for a unique name (each
 * such name is found by counting up from _1 against all names taken so far: quadratic).
 *
 *   node dist/bench-self/dense-file.js [--sizes 1250,2500,5000,10000] [--rounds 1]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAverage, machine } from "./machine";
import { median } from "./stats";
import { runTspc, type TspcRun } from "./tspc";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** One file of `count` methods, each `@perf.latency` (every fourth also `@perf.memory`), or none of them. */
export function denseFileText(count: number, annotated: boolean): string {
  const lines: string[] = [];
  if (annotated) lines.push('import { perf } from "@choragen/perf";', "");
  const perClass = 100;
  for (let c = 0; c * perClass < count; c++) {
    lines.push(`export class Dense${c} {`, "  private total = 0;");
    for (let m = c * perClass; m < Math.min(count, (c + 1) * perClass); m++) {
      if (annotated) lines.push(`  @perf.latency({ max: ${(m % 50) + 1}, unit: "ms" })`);
      if (annotated && m % 4 === 0) lines.push('  @perf.memory({ max: 1, unit: "MB" })');
      lines.push(`  method${m}(value: number): number {`, `    this.total += value * ${m};`, "    return this.total;", "  }");
    }
    lines.push("}", "");
  }
  return lines.join("\n");
}

function tsconfig(mode: "instrument" | "strip" | undefined): string {
  return JSON.stringify({
    compilerOptions: {
      target: "ES2022", module: "Node16", moduleResolution: "Node16", strict: true, skipLibCheck: true, outDir: `out/${mode ?? "plain"}`, rootDir: "src", types: [], lib: ["ES2022"],
      ...(mode !== undefined ? { plugins: [{ transform: "@choragen/perf/transformer", mode }] } : {}),
    },
    include: ["src"],
  }, null, 2);
}

export interface DenseFigures {
  readonly annotations: number;
  readonly plain: TspcRun;
  /** The annotated file without the plugin entry (runtime decorators): what the decorators cost to check and emit. */
  readonly without: TspcRun;
  readonly instrument: TspcRun;
  readonly strip: TspcRun;
}

/** Compiles the three variants of one size, `rounds` times each, alternating; keeps the median run by CPU time. */
export function measureDenseFile(methods: number, rounds = 1): DenseFigures {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-dense-")));
  try {
    fs.mkdirSync(path.join(root, "node_modules", "@choragen"), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(root, "node_modules", "@choragen", "perf"), "dir");
    for (const variant of ["annotated", "plain"] as const) {
      fs.mkdirSync(path.join(root, variant, "src"), { recursive: true });
      fs.writeFileSync(path.join(root, variant, "src", "dense.ts"), denseFileText(methods, variant === "annotated"));
    }
    fs.writeFileSync(path.join(root, "plain", "tsconfig.json"), tsconfig(undefined));
    fs.writeFileSync(path.join(root, "annotated", "tsconfig.json"), tsconfig(undefined));
    fs.writeFileSync(path.join(root, "annotated", "tsconfig.instrument.json"), tsconfig("instrument"));
    fs.writeFileSync(path.join(root, "annotated", "tsconfig.strip.json"), tsconfig("strip"));
    const runs = { plain: [] as TspcRun[], without: [] as TspcRun[], instrument: [] as TspcRun[], strip: [] as TspcRun[] };
    for (let round = 0; round < rounds; round++) {
      runs.plain.push(runTspc(path.join(root, "plain"), "tsconfig.json"));
      runs.without.push(runTspc(path.join(root, "annotated"), "tsconfig.json"));
      runs.instrument.push(runTspc(path.join(root, "annotated"), "tsconfig.instrument.json"));
      runs.strip.push(runTspc(path.join(root, "annotated"), "tsconfig.strip.json"));
    }
    const pick = (list: TspcRun[]): TspcRun => {
      const m = median(list.map((r) => r.cpuMs));
      return list.reduce((best, r) => (Math.abs(r.cpuMs - m) < Math.abs(best.cpuMs - m) ? r : best));
    };
    const annotations = methods + Math.ceil(methods / 4);
    return { annotations, plain: pick(runs.plain), without: pick(runs.without), instrument: pick(runs.instrument), strip: pick(runs.strip) };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function main(argv: readonly string[]): number {
  let sizes = [1250, 2500, 5000, 10000];
  let rounds = 1;
  for (let i = 0; i < argv.length; i++) {
    const value = argv[++i];
    if (argv[i - 1] === "--sizes" && value) sizes = value.split(",").map(Number);
    else if (argv[i - 1] === "--rounds" && value) rounds = Number(value);
    else {
      console.error("usage: node dist/bench-self/dense-file.js [--sizes 1250,2500,5000,10000] [--rounds 1]");
      return 2;
    }
  }
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(rounds) || rounds < 1) {
    console.error("dense-file: --sizes takes whole numbers, --rounds a whole number of at least 1");
    return 2;
  }
  const m = machine();
  console.log(`annotations per file: one file, tspc, CPU time (user + system) · node ${m.node} · ${m.cpu} ×${m.cores} · load ${loadAverage().toFixed(2)} at start`);
  console.log("methods  annotations  plain      no plugin  instrument  strip      instrument/plain  instrument/no plugin  (instrument − no plugin)/annotation");
  for (const methods of sizes) {
    const d = measureDenseFile(methods, rounds);
    const perAnnotationUs = ((d.instrument.cpuMs - d.without.cpuMs) / d.annotations) * 1000;
    console.log(
      `${String(methods).padStart(7)}  ${String(d.annotations).padStart(11)}  ${s(d.plain.cpuMs)}  ${s(d.without.cpuMs)}  ${s(d.instrument.cpuMs)}   ${s(d.strip.cpuMs)}  ${(d.instrument.cpuMs / d.plain.cpuMs).toFixed(2).padStart(15)}×  ${(d.instrument.cpuMs / d.without.cpuMs).toFixed(2).padStart(19)}×  ${perAnnotationUs.toFixed(0).padStart(8)} µs`,
    );
  }
  console.log(`load ${loadAverage().toFixed(2)} at end`);
  return 0;
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`.padStart(9);

if (require.main === module) process.exitCode = main(process.argv.slice(2));
