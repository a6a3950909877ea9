/**
 * `npm run eval:regressions`: how well does the regression rule tell a real 10% slowdown from noise,
 * on this machine, through the real runner? Not part of `npm test` (it takes minutes).
 *
 * A throw-away project holds one bench file with two workloads whose cost is linear in a size; the
 * env var CHORAGEN_EVAL_SLOWDOWN scales that size (1.1 = a 10% slowdown injected into the code).
 * Rounds of three runs (base, slowed, base), interleaved so drift of the machine hits all alike.
 * Every run measures each bench in a third process too, and keeps the pool of the first two apart,
 * so a rule can be judged as the CLI runs it (baselines from three processes, a suspected regression
 * confirmed by a third) and on two processes alone. Then every base run is compared with every other
 * base run (false alarms) and with every slowed run (detections), by our rule (statistics.ts
 * decideShift), by the previous one, and by plain rules (ratio of means > 1 + threshold).
 *
 *   node dist/cli/engine/eval/regressions.js [--rounds 30] [--threshold 5] [--slowdown 1.1] [--quick] [--dump runs.json]
 *   node dist/cli/engine/eval/regressions.js --from runs.json [--threshold 5]
 *
 * `--from` re-decides on runs saved earlier with `--dump` instead of measuring, so variants of the
 * rule are compared on exactly the same data (and in seconds).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { positiveNumberOption } from "./args";
import { runBenchmarks } from "../runner";
import { CALIBRATION_TRUST_PCT, DEFAULT_ALPHA, decideShift, mannWhitney, NOISY_SPREAD_PCT, quantileOfSorted, undisturbedSpreadPct, type ShiftInput } from "../statistics";
import type { BenchResult, BenchStats, EngineConfig } from "../types";

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
  /** Read the runs from this dump instead of measuring. */
  readonly from?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => positiveNumberOption(argv, name, fallback);
  const text = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) {
      process.stderr.write(`${name} needs a file name\n`);
      process.exit(2);
    }
    return v;
  };
  const dump = text("--dump");
  const from = text("--from");
  return {
    rounds: Math.round(value("--rounds", 30)),
    threshold: value("--threshold", 5),
    slowdown: value("--slowdown", 1.1),
    quick: argv.includes("--quick"),
    ...(dump === undefined ? {} : { dump }),
    ...(from === undefined ? {} : { from }),
  };
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

/**
 * One benchmark of one run: pooled over the two processes of standard mode, and over three (every
 * bench gets the third process here, so that the rules below can choose when to use it).
 */
interface Measured {
  readonly two: BenchStats;
  readonly three?: BenchStats;
}
type Run = Map<string, Measured>;

async function measure(root: string, config: EngineConfig, slowdown: number, quick: boolean): Promise<Run> {
  process.env["CHORAGEN_EVAL_SLOWDOWN"] = String(slowdown);
  const two = new Map<string, BenchStats>();
  const thirdPass = {
    select: (r: BenchResult): boolean => {
      if (r.stats !== undefined) two.set(r.id, r.stats);
      return true;
    },
    // Every bench gets a third process, as in a run saved as baselines; `select` keeps the two-process result.
    reason: "save-baseline" as const,
  };
  const results = await runBenchmarks({ root, config, quick, thirdPass });
  const run: Run = new Map();
  for (const r of results.results) {
    if (r.stats === undefined) throw new Error(`${r.id}: ${r.error ?? "no stats"}`);
    const pair = two.get(r.id);
    run.set(r.id, pair === undefined ? { two: r.stats } : { two: pair, three: r.stats });
  }
  if (results.fileFailures.length > 0) throw new Error(results.fileFailures.map((f) => f.message).join("\n"));
  return run;
}

/** Flagged pairs and judged pairs per rule (index into RULES): a rule can lack data for a pair. */
interface Counts {
  hits: number[];
  pairs: number[];
}
interface Tally extends Counts {
  byId: Map<string, Counts>;
}

interface Rule {
  readonly label: string;
  /** Undefined: the rule needs data this run does not have (a dump from before third processes). */
  readonly flags: (b: Measured, c: Measured, t: number) => boolean | undefined;
}

/** A rule that looks at the two-process pools only, as the runner without a third pass does. */
function onTwo(label: string, flags: (b: BenchStats, c: BenchStats, t: number) => boolean): Rule {
  return { label, flags: (b, c, t) => flags(b.two, c.two, t) };
}

type Decide = (b: BenchStats, c: BenchStats, t: number) => boolean;

/**
 * A rule used as the CLI uses it: baselines measured in three processes, and a regression seen on
 * the current run's two processes decided again after its third.
 */
function asTheCliDoes(label: string, flags: Decide): Rule {
  return {
    label,
    flags: (b, c, t) => {
      if (b.three === undefined) return undefined;
      if (!flags(b.three, c.two, t)) return false;
      return c.three === undefined ? undefined : flags(b.three, c.three, t);
    },
  };
}

/** Our rule (statistics.ts decideShift). */
const ours: Decide = (b, c, t) => decideShift(shiftInput(b), shiftInput(c), t).verdict === "regression";
/** The rule before the calibration was trusted to correct a drifting machine: raw times, calibration as a veto only. */
const previous: Decide = (b, c, t) => decideShift(shiftInput(b), shiftInput(c), t, DEFAULT_ALPHA, -1).verdict === "regression";

const RULES: readonly Rule[] = [
  asTheCliDoes(
    `ours, as the CLI runs it: calibrated fastest time > threshold (raw > ½ threshold) AND Mann–Whitney p < ${DEFAULT_ALPHA} on the calibrated fastest 2.5% when the calibration moved ≤ ${CALIBRATION_TRUST_PCT}%; else raw, the calibration a veto`,
    ours,
  ),
  onTwo("ours on two processes, no third", ours),
  asTheCliDoes("previous rule (raw fastest time, the calibration only a veto), as the CLI runs it", previous),
  onTwo("previous rule on two processes, no third (the rule before the third process)", previous),
  onTwo("the same without the calibration", (b, c, t) => decideShift({ min: b.min, samples: b.sampleSet }, { min: c.min, samples: c.sampleSet }, t).verdict === "regression"),
  onTwo(
    `median > threshold AND Mann–Whitney p < ${DEFAULT_ALPHA} on all samples`,
    (b, c, t) => c.p50 / b.p50 > 1 + t / 100 && mannWhitney(b.sampleSet, c.sampleSet).pGreater < DEFAULT_ALPHA,
  ),
  onTwo("ratio of means > 1 + threshold (plain)", (b, c, t) => c.mean / b.mean > 1 + t / 100),
];

function shiftInput(s: BenchStats): ShiftInput {
  return { min: s.min, samples: s.sampleSet, ...(s.calibration === undefined ? {} : { calibration: s.calibration }) };
}

function tally(pairs: readonly (readonly [Run, Run])[], thresholdPct: number): Tally {
  const zero = (): Counts => ({ hits: RULES.map(() => 0), pairs: RULES.map(() => 0) });
  const t: Tally = { ...zero(), byId: new Map() };
  for (const [base, current] of pairs) {
    for (const [id, b] of base) {
      const c = current.get(id);
      if (c === undefined) continue;
      const one = t.byId.get(id) ?? zero();
      t.byId.set(id, one);
      RULES.forEach((rule, i) => {
        const flagged = rule.flags(b, c, thresholdPct);
        if (flagged === undefined) return;
        for (const counts of [t, one]) {
          counts.pairs[i]!++;
          if (flagged) counts.hits[i]!++;
        }
      });
    }
  }
  return t;
}

function readDump(file: string): { base: Run[]; slow: Run[] } {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    process.stderr.write(`--from ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const runs = (key: "base" | "slow"): Run[] => {
    const list = (data as Record<string, unknown> | null)?.[key];
    if (!Array.isArray(list) || list.length === 0) {
      process.stderr.write(`--from ${file}: key "${key}" must be a non-empty list of runs (write one with --dump)\n`);
      process.exit(2);
    }
    // Written by --dump; trusted as such (an offline tool reading its own output). Dumps from before
    // the third process hold the two-process stats directly.
    return list.map((run: Record<string, Measured | BenchStats>) => new Map(Object.entries(run).map(([id, m]) => [id, "two" in m ? m : { two: m }])));
  };
  return { base: runs("base"), slow: runs("slow") };
}

function pct(n: number, d: number): string {
  return d === 0 ? "n/a" : `${((100 * n) / d).toFixed(1)}%`;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const config: EngineConfig = {
    benchmarks: { include: ["bench/**/*.bench.ts"], regressionThreshold: opts.threshold, timeoutMs: 120_000 },
    thresholds: { minScore: 0, maxViolations: 1_000_000 },
  };
  let base: Run[] = [];
  let slow: Run[] = [];
  const started = Date.now();
  if (opts.from !== undefined) {
    ({ base, slow } = readDump(opts.from));
  } else {
    const root = makeProject();
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
      fs.writeFileSync(opts.dump, JSON.stringify({ slowdown: opts.slowdown, quick: opts.quick, base: plain(base), slow: plain(slow) }));
    }
  }
  const nullPairs: [Run, Run][] = [];
  for (let i = 0; i < base.length; i++) for (let j = 0; j < base.length; j++) if (i !== j) nullPairs.push([base[i]!, base[j]!]);
  const shiftPairs: [Run, Run][] = [];
  for (const b of base) for (const s of slow) shiftPairs.push([b, s]);
  const fa = tally(nullPairs, opts.threshold);
  const det = tally(shiftPairs, opts.threshold);

  const noise: number[] = [];
  const fastNoise: number[] = [];
  const calibrationNoise: number[] = [];
  for (const [a, b] of nullPairs) {
    for (const [id, m] of a) {
      const s = m.two;
      const other = b.get(id)?.two;
      if (other === undefined) continue;
      noise.push(((other.p50 - s.p50) / s.p50) * 100);
      fastNoise.push(((other.min - s.min) / s.min) * 100);
      if (s.calibration !== undefined && other.calibration !== undefined) calibrationNoise.push(((other.calibration - s.calibration) / s.calibration) * 100);
    }
  }
  for (const set of [noise, fastNoise, calibrationNoise]) set.sort((x, y) => x - y);
  const nq = (p: number, set: readonly number[] = noise): string => (set.length === 0 ? "n/a" : `${quantileOfSorted(set, p).toFixed(1)}%`);
  const cell = (c: Counts | undefined, i: number): string => (c === undefined ? "n/a" : `${pct(c.hits[i]!, c.pairs[i]!)} (${c.hits[i]!}/${c.pairs[i]!})`);
  const row = (label: string, d: Counts, f: Counts | undefined, i: number): string => `| ${label} | ${cell(d, i)} | ${cell(f, i)} |`;

  // Our misses that the report flags: an "unchanged" beside a warning that the baseline or the run was too busy to tell.
  let missed = 0;
  let warned = 0;
  for (const [b, c] of shiftPairs) {
    for (const [id, mb] of b) {
      const mc = c.get(id);
      if (mc === undefined || RULES[0]!.flags(mb, mc, opts.threshold) !== false) continue;
      missed++;
      const final = mc.three ?? mc.two;
      if ([mb.three ?? mb.two, final].some((s) => undisturbedSpreadPct(s.sampleSet) > NOISY_SPREAD_PCT)) warned++;
    }
  }

  const lines = [
    `regression detection, ${slow.length} rounds × 3 runs (${opts.from === undefined ? (opts.quick ? "quick" : "standard") + " mode" : `from ${opts.from}`}), ${base[0]?.size ?? 0} benchmarks, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    `injected slowdown ${opts.from === undefined ? `${((opts.slowdown - 1) * 100).toFixed(0)}%` : "as dumped"}, threshold ${opts.threshold}%, α = ${DEFAULT_ALPHA}`,
    `run-to-run change between unchanged runs: median p1 ${nq(0.01)} / p50 ${nq(0.5)} / p99 ${nq(0.99)}; fastest time p1 ${nq(0.01, fastNoise)} / p50 ${nq(0.5, fastNoise)} / p99 ${nq(0.99, fastNoise)}; calibration p1 ${nq(0.01, calibrationNoise)} / p5 ${nq(0.05, calibrationNoise)} / p50 ${nq(0.5, calibrationNoise)} / p95 ${nq(0.95, calibrationNoise)} / p99 ${nq(0.99, calibrationNoise)}`,
    "",
    "| rule | slowdowns caught | false alarms |",
    "| --- | --- | --- |",
    ...RULES.map((rule, i) => row(rule.label, det, fa, i)),
    "",
    `slowdowns ours missed with a warning in the report that the baseline or the run was too busy to tell: ${warned} of ${missed}`,
    ...[...det.byId].flatMap(([id, d]) => ["", `${id}:`, "", "| rule | slowdowns caught | false alarms |", "| --- | --- | --- |", ...RULES.map((rule, i) => row(rule.label, d, fa.byId.get(id), i))]),
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`eval:regressions failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
