/**
 * The compile side of `npm run bench:self`, on one generated project (see generated-project.ts):
 * - cost: `tspc` with the transformer's plugin entry against `tspc` without it, same sources, alternating runs;
 * - strip identity: the annotated sources compiled in strip mode against the plain sources compiled without the
 *   transformer, byte for byte;
 * - sizes: plain, strip, instrument and no-transformer (runtime decorators) output.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compareEmitted, readEmitted, totalBytes, type Comparison } from "./emitted";
import { tsconfigText, writeGeneratedProject, type GeneratedProject } from "./generated-project";
import { median } from "./stats";
import { runTspc, type TspcRun } from "./tspc";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The tsconfigs of the annotated project; each writes to its own outDir. */
export const CONFIGS = {
  without: { file: "tsconfig.json", outDir: "out/without", mode: undefined },
  instrument: { file: "tsconfig.instrument.json", outDir: "out/instrument", mode: "instrument" },
  strip: { file: "tsconfig.strip.json", outDir: "out/strip", mode: "strip" },
} as const;

export interface BenchProject {
  readonly root: string;
  /** The sources with their contracts, and the three tsconfigs above. */
  readonly annotated: string;
  /** The same program without contracts, and a tsconfig without the plugin entry. */
  readonly plain: string;
  readonly generated: GeneratedProject;
  readonly lines: number;
  remove(): void;
}

/**
 * A temporary folder holding both variants, with `node_modules/@choragen/perf` linked to this repository above
 * them: the annotated sources resolve `@choragen/perf` through it for their types, and ts-patch resolves the
 * plugin entry's transform from the project through it.
 */
export function createBenchProject(files: number): BenchProject {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-bench-self-")));
  fs.mkdirSync(path.join(root, "node_modules", "@choragen"), { recursive: true });
  fs.symlinkSync(REPO_ROOT, path.join(root, "node_modules", "@choragen", "perf"), process.platform === "win32" ? "junction" : "dir");
  const annotated = path.join(root, "annotated");
  const plain = path.join(root, "plain");
  const generated = writeGeneratedProject(annotated, "annotated", files);
  writeGeneratedProject(plain, "plain", files);
  for (const config of Object.values(CONFIGS)) fs.writeFileSync(path.join(annotated, config.file), tsconfigText(config.mode, config.outDir));
  fs.writeFileSync(path.join(plain, "tsconfig.json"), tsconfigText(undefined, "out/plain"));
  let lines = 0;
  for (const file of generated.files) lines += fs.readFileSync(path.join(annotated, file), "utf8").split("\n").length;
  return { root, annotated, plain, generated, lines, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export interface OutputFigures {
  readonly strip: Comparison;
  readonly bytes: { readonly plain: number; readonly strip: number; readonly instrument: number; readonly without: number };
  /** Contracts registered in the instrument output (`.contract({ id: ...`), to hold against the annotations written. */
  readonly contractsEmitted: number;
  /** Files of the no-transformer output that import the probe runtime: must be 0, or the plugin ran where it must not. */
  readonly probeImportsWithout: number;
}

export interface CostFigures {
  readonly rounds: number;
  /** Fewer rounds than asked for, to keep the run within its time budget. */
  readonly stoppedEarly: boolean;
  readonly without: readonly TspcRun[];
  readonly instrument: readonly TspcRun[];
  readonly medianWithoutMs: number;
  readonly medianInstrumentMs: number;
  /** median(with) / median(without): the headline. */
  readonly ratio: number;
  readonly minRatio: number;
  readonly medianWithoutCpuMs: number;
  readonly medianInstrumentCpuMs: number;
  /** The same ratio over the children's CPU time. */
  readonly cpuRatio: number;
  /** Median of TypeScript's own phase times over the runs, per phase, for both sides. */
  readonly phasesWithout: ReadonlyMap<string, number>;
  readonly phasesInstrument: ReadonlyMap<string, number>;
}

/**
 * The two compiles that only the output checks need: the plain sources without the transformer and the annotated
 * ones in strip mode. Run before the timed rounds, they also warm the file cache for them.
 */
export function compileReferences(project: BenchProject): { readonly plainMs: number; readonly stripMs: number } {
  const plain = runTspc(project.plain, "tsconfig.json");
  const strip = runTspc(project.annotated, CONFIGS.strip.file);
  return { plainMs: plain.wallMs, stripMs: strip.wallMs };
}

/** Reads the four outputs back (after `compileReferences` and `measureCompileCost`) and compares them. */
export function inspectOutputs(project: BenchProject): OutputFigures {
  const outputs = [path.join(project.plain, "out", "plain"), ...[CONFIGS.strip, CONFIGS.instrument, CONFIGS.without].map((c) => path.join(project.annotated, c.outDir))];
  const missing = outputs.filter((dir) => !fs.existsSync(dir));
  if (missing.length > 0) throw new Error(`not compiled yet: ${missing.join(", ")}`);
  const [plain, strip, instrument, without] = outputs.map(readEmitted) as [Map<string, Buffer>, Map<string, Buffer>, Map<string, Buffer>, Map<string, Buffer>];
  let contractsEmitted = 0;
  for (const content of instrument.values()) contractsEmitted += content.toString("utf8").match(/[._]contract\(\{ id: "/g)?.length ?? 0;
  let probeImportsWithout = 0;
  for (const content of without.values()) if (content.includes("@choragen/perf/probe")) probeImportsWithout++;
  return {
    strip: compareEmitted(strip, plain),
    bytes: { plain: totalBytes(plain), strip: totalBytes(strip), instrument: totalBytes(instrument), without: totalBytes(without) },
    contractsEmitted,
    probeImportsWithout,
  };
}

export interface CostOptions {
  /** Runs of each side; default 5. */
  readonly rounds?: number;
  /** Stop starting new rounds after this many milliseconds, once `minRounds` are done. Default: no limit. */
  readonly budgetMs?: number;
  readonly minRounds?: number;
  readonly onRun?: (side: "without" | "instrument", run: TspcRun, round: number) => void;
}

/**
 * `tspc` with the plugin entry (instrument mode) against `tspc` without it, alternating, the order swapped every
 * round (A B, B A, ...) so a slow stretch of a shared machine falls on both sides alike.
 */
export function measureCompileCost(project: BenchProject, options: CostOptions = {}): CostFigures {
  const rounds = Math.max(1, options.rounds ?? 5);
  const minRounds = Math.min(rounds, Math.max(1, options.minRounds ?? 3));
  const started = Date.now();
  const runs = { without: [] as TspcRun[], instrument: [] as TspcRun[] };
  let round = 0;
  for (; round < rounds; round++) {
    if (round >= minRounds && options.budgetMs !== undefined && Date.now() - started > options.budgetMs) break;
    const order = round % 2 === 0 ? (["without", "instrument"] as const) : (["instrument", "without"] as const);
    for (const side of order) {
      const run = runTspc(project.annotated, CONFIGS[side].file);
      runs[side].push(run);
      options.onRun?.(side, run, round);
    }
  }
  const wall = (list: readonly TspcRun[]): number[] => list.map((r) => r.wallMs);
  const medianWithoutMs = median(wall(runs.without));
  const medianInstrumentMs = median(wall(runs.instrument));
  const medianWithoutCpuMs = median(runs.without.map((r) => r.cpuMs));
  const medianInstrumentCpuMs = median(runs.instrument.map((r) => r.cpuMs));
  return {
    rounds: round,
    stoppedEarly: round < rounds,
    without: runs.without,
    instrument: runs.instrument,
    medianWithoutMs,
    medianInstrumentMs,
    ratio: medianInstrumentMs / medianWithoutMs,
    minRatio: Math.min(...wall(runs.instrument)) / Math.min(...wall(runs.without)),
    medianWithoutCpuMs,
    medianInstrumentCpuMs,
    cpuRatio: medianInstrumentCpuMs / medianWithoutCpuMs,
    phasesWithout: medianPhases(runs.without),
    phasesInstrument: medianPhases(runs.instrument),
  };
}

function medianPhases(runs: readonly TspcRun[]): Map<string, number> {
  const names = new Set(runs.flatMap((r) => [...r.phases.keys()]));
  return new Map([...names].map((name) => [name, median(runs.map((r) => r.phases.get(name) ?? NaN).filter((v) => !Number.isNaN(v)))]));
}
