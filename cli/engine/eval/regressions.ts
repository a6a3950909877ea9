/**
 * `npm run eval:regressions`: how well does the regression rule tell a real 10% slowdown from noise,
 * on this machine, through the real runner? Not part of `npm test` (it takes minutes).
 *
 * A throw-away project holds one bench file with two workloads whose cost is linear in a size; the
 * env var CHORAGEN_EVAL_SLOWDOWN scales that size (1.1 = a 10% slowdown injected into the code).
 * Rounds of three runs (base, slowed, base), interleaved so drift of the machine hits all alike.
 * Then every base run is compared with every other base run (false alarms) and with every slowed
 * run (detections), by our rule (statistics.ts decideShift), by variants of it, and by a plain rule
 * (ratio of means > 1 + threshold).
 *
 *   node dist/cli/engine/eval/regressions.js [--rounds 30] [--threshold 5] [--slowdown 1.1] [--quick] [--dump runs.json]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runBenchmarks } from "../runner";
import { DEFAULT_ALPHA, decideShift, mannWhitney, type ShiftInput } from "../statistics";
import type { BenchStats, EngineConfig } from "../types";

const BENCH_FILE = `import { bench, do_not_optimize } from "@choragen/perf/bench";

declare const process: { env: Record<string, string | undefined> };
const factor = Number(process.env["CHORAGEN_EVAL_SLOWDOWN"] ?? "1");

// FNV-1a over a string: time linear in its length.
const text = "the quick brown fox jumps over the lazy dog ".repeat(Math.round(100 * factor));
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
bench("hash 4 KB", () => do_not_optimize(fnv1a(text)));

// JSON round trip of an array: time linear in its length.
const rows = Array.from({ length: Math.round(200 * factor) }, (_, i) => ({ id: i, name: "row " + i, ok: i % 2 === 0 }));
bench("json 200 rows", () => do_not_optimize(JSON.parse(JSON.stringify(rows))));
`;

interface Options {
  readonly rounds: number;
  readonly threshold: number;
  readonly slowdown: number;
  readonly quick: boolean;
  /** Write the measured runs here (JSON) for offline analysis. */
  readonly dump?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const i = argv.indexOf(name);
    if (i < 0) return fallback;
    const v = Number(argv[i + 1]);
    if (!Number.isFinite(v) || v <= 0) {
      process.stderr.write(`${name} needs a positive number\n`);
      process.exit(2);
    }
    return v;
  };
  return { rounds: Math.round(value("--rounds", 30)), threshold: value("--threshold", 5), slowdown: value("--slowdown", 1.1), quick: argv.includes("--quick"), ...(argv.includes("--dump") ? { dump: argv[argv.indexOf("--dump") + 1] ?? "eval-runs.json" } : {}) };
}

function makeProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "choragen-eval-"));
  fs.mkdirSync(path.join(root, "bench"));
  fs.writeFileSync(path.join(root, "bench", "workload.bench.ts"), BENCH_FILE);
  fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "eval", private: true }));
  fs.mkdirSync(path.join(root, "node_modules", "@choragen"), { recursive: true });
  fs.symlinkSync(path.resolve(__dirname, "..", "..", "..", ".."), path.join(root, "node_modules", "@choragen", "perf"), "dir");
  return root;
}

type Run = Map<string, BenchStats>;

async function measure(root: string, config: EngineConfig, slowdown: number, quick: boolean): Promise<Run> {
  process.env["CHORAGEN_EVAL_SLOWDOWN"] = String(slowdown);
  const results = await runBenchmarks({ root, config, quick });
  const run: Run = new Map();
  for (const r of results.results) {
    if (r.stats === undefined) throw new Error(`${r.id}: ${r.error ?? "no stats"}`);
    run.set(r.id, r.stats);
  }
  if (results.fileFailures.length > 0) throw new Error(results.fileFailures.map((f) => f.message).join("\n"));
  return run;
}

interface Tally {
  pairs: number;
  /** Detections per rule. */
  hits: Record<RuleName, number>;
}

type RuleName = "ours" | "noCalibration" | "medianRank" | "naive";
const RULES: Record<RuleName, { label: string; flags: (b: BenchStats, c: BenchStats, t: number) => boolean }> = {
  ours: {
    label: `fastest time > threshold, also against the calibration, AND Mann–Whitney p < ${DEFAULT_ALPHA} on the fastest 2.5% (ours)`,
    flags: (b, c, t) => decideShift(shiftInput(b), shiftInput(c), t).verdict === "regression",
  },
  noCalibration: {
    label: "the same without the calibration",
    flags: (b, c, t) => decideShift({ min: b.min, samples: b.sampleSet }, { min: c.min, samples: c.sampleSet }, t).verdict === "regression",
  },
  medianRank: {
    label: `median > threshold AND Mann–Whitney p < ${DEFAULT_ALPHA} on all samples`,
    flags: (b, c, t) => c.p50 / b.p50 > 1 + t / 100 && mannWhitney(b.sampleSet, c.sampleSet).pGreater < DEFAULT_ALPHA,
  },
  naive: { label: "ratio of means > 1 + threshold (plain)", flags: (b, c, t) => c.mean / b.mean > 1 + t / 100 },
};

function shiftInput(s: BenchStats): ShiftInput {
  return { min: s.min, samples: s.sampleSet, ...(s.calibration === undefined ? {} : { calibration: s.calibration }) };
}

function tally(pairs: readonly (readonly [Run, Run])[], thresholdPct: number): Tally {
  const t: Tally = { pairs: 0, hits: { ours: 0, noCalibration: 0, medianRank: 0, naive: 0 } };
  for (const [base, current] of pairs) {
    for (const [id, b] of base) {
      const c = current.get(id);
      if (c === undefined) continue;
      t.pairs++;
      for (const name of Object.keys(RULES) as RuleName[]) if (RULES[name].flags(b, c, thresholdPct)) t.hits[name]++;
    }
  }
  return t;
}

function pct(n: number, d: number): string {
  return d === 0 ? "n/a" : `${((100 * n) / d).toFixed(1)}%`;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const root = makeProject();
  const config: EngineConfig = {
    benchmarks: { include: ["bench/**/*.bench.ts"], regressionThreshold: opts.threshold, timeoutMs: 120_000 },
    thresholds: { minScore: 0, maxViolations: 1_000_000 },
  };
  const base: Run[] = [];
  const slow: Run[] = [];
  const started = Date.now();
  try {
    for (let i = 0; i < opts.rounds; i++) {
      base.push(await measure(root, config, 1, opts.quick));
      slow.push(await measure(root, config, opts.slowdown, opts.quick));
      base.push(await measure(root, config, 1, opts.quick));
      process.stderr.write(`\rround ${i + 1}/${opts.rounds}`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  process.stderr.write("\n");
  if (opts.dump !== undefined) {
    const plain = (runs: Run[]): object[] => runs.map((r) => Object.fromEntries(r));
    fs.writeFileSync(opts.dump, JSON.stringify({ base: plain(base), slow: plain(slow) }));
  }
  const nullPairs: [Run, Run][] = [];
  for (let i = 0; i < base.length; i++) for (let j = 0; j < base.length; j++) if (i !== j) nullPairs.push([base[i]!, base[j]!]);
  const shiftPairs: [Run, Run][] = [];
  for (const b of base) for (const s of slow) shiftPairs.push([b, s]);
  const fa = tally(nullPairs, opts.threshold);
  const det = tally(shiftPairs, opts.threshold);

  const noise: number[] = [];
  const fastNoise: number[] = [];
  for (const [a, b] of nullPairs) {
    for (const [id, s] of a) {
      noise.push(((b.get(id)!.p50 - s.p50) / s.p50) * 100);
      fastNoise.push(((b.get(id)!.min - s.min) / s.min) * 100);
    }
  }
  fastNoise.sort((x, y) => x - y);
  noise.sort((x, y) => x - y);
  const nq = (p: number, set: readonly number[] = noise): string => `${set[Math.floor(p * (set.length - 1))]!.toFixed(1)}%`;

  const lines = [
    `regression detection, ${opts.rounds} rounds × 3 runs (${opts.quick ? "quick" : "standard"} mode), ${base.values().next().value?.size ?? 0} benchmarks, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    `injected slowdown ${((opts.slowdown - 1) * 100).toFixed(0)}%, threshold ${opts.threshold}%, α = ${DEFAULT_ALPHA}`,
    `run-to-run change between unchanged runs: median p1 ${nq(0.01)} / p50 ${nq(0.5)} / p99 ${nq(0.99)}; fastest time p1 ${nq(0.01, fastNoise)} / p50 ${nq(0.5, fastNoise)} / p99 ${nq(0.99, fastNoise)}`,
    "",
    "| rule | slowdowns caught | false alarms |",
    "| --- | --- | --- |",
    ...(Object.keys(RULES) as RuleName[]).map(
      (name) => `| ${RULES[name].label} | ${pct(det.hits[name], det.pairs)} (${det.hits[name]}/${det.pairs}) | ${pct(fa.hits[name], fa.pairs)} (${fa.hits[name]}/${fa.pairs}) |`,
    ),
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`eval:regressions failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
