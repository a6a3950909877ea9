/**
 * `npm run eval:ab`: how well does `perf:bench --against main` tell injected slowdowns from unchanged
 * code on this machine, and at what cost in time, beside the stored-baseline rule on the same code?
 * Through the real CLI (bin/choragen.js), on a throw-away git repository. Not part of `npm test`.
 *
 * The repository's main branch holds one bench file with workloads of different shapes, each with a
 * cost linear in a size; branches scale every size: `same` (a comment changed), `slow5` (×1.05) and
 * `slow10` (×1.10). Each rep saves stored baselines on main (`--save-baseline`), then, for every branch
 * in a shuffled order, runs `perf:bench` (the stored-baseline rule, and the time today's command
 * takes) and `perf:bench --against main` (side by side). With `--neighbour` a CPU-bound process
 * runs throughout, the issue's "busy neighbour".
 *
 *   node dist/cli/engine/eval/ab.js [--reps 10] [--threshold 3] [--neighbour] [--dump reports.json]
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { positiveNumberOption } from "./args";

const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const BIN = path.join(PACKAGE_ROOT, "bin", "choragen.js");

const BENCH_FILE = `import { bench, do_not_optimize } from "@choragen/perf/bench";
import { F } from "../src/size";
const n = (base: number): number => Math.round(base * F);

// Sub-microsecond: integer mixing.
const tinyN = n(120);
bench("tiny int mix", () => {
  let h = 0x811c9dc5;
  for (let i = 0; i < tinyN; i++) h = Math.imul(h ^ i, 0x01000193);
  return do_not_optimize(h);
});

// Tens of microseconds: FNV-1a over a string.
const text = "the quick brown fox jumps over the lazy dog ".repeat(n(400));
bench("hash 17 KB", () => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return do_not_optimize(h >>> 0);
});

// Milliseconds: sorting numbers.
const nums = Array.from({ length: n(20000) }, (_, i) => (i * 2654435761) % 1000003);
bench("sort 20k numbers", () => do_not_optimize([...nums].sort((a, b) => a - b)));

// Allocation-heavy: small objects and arrays.
const allocN = n(2000);
bench("allocate objects", () => {
  const out: { id: number; tags: number[] }[] = [];
  for (let i = 0; i < allocN; i++) out.push({ id: i, tags: [i, i + 1] });
  return do_not_optimize(out);
});

// Branchy: a state machine over unpredictable input.
const ops = Array.from({ length: n(5000) }, (_, i) => ((i * 7919) >>> 3) % 5);
bench("branchy state machine", () => {
  let s = 0;
  for (const o of ops) {
    switch (o) {
      case 0: s += 3; break;
      case 1: s ^= 0x55; break;
      case 2: s = (s * 5) & 0xffff; break;
      case 3: s -= 7; break;
      default: s = s >> 1;
    }
  }
  return do_not_optimize(s);
});

// String work: join, split, case.
const words = Array.from({ length: n(300) }, (_, i) => "word" + i);
bench("string join split", () => do_not_optimize(words.join(",").split(",").map((w) => w.toUpperCase()).length));

// Map work: insert then look up.
const keys = Array.from({ length: n(1000) }, (_, i) => "key" + i);
bench("map set get", () => {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, k.length);
  let s = 0;
  for (const k of keys) s += m.get(k) ?? 0;
  return do_not_optimize(s);
});
`;

interface Options {
  readonly reps: number;
  readonly threshold: number;
  readonly neighbour: boolean;
  readonly dump?: string;
  /** Only these branches (comma-separated: same, slow5, slow10). */
  readonly variants: readonly Variant[];
}

const VARIANTS = { same: 1, slow5: 1.05, slow10: 1.1 } as const;
type Variant = keyof typeof VARIANTS;

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => positiveNumberOption(argv, name, fallback);
  const dumpAt = argv.indexOf("--dump");
  const variantsAt = argv.indexOf("--variants");
  const variants = variantsAt < 0 ? (Object.keys(VARIANTS) as Variant[]) : (argv[variantsAt + 1] ?? "").split(",").filter((v): v is Variant => v in VARIANTS);
  if (variants.length === 0) {
    process.stderr.write(`--variants needs a comma-separated list of ${Object.keys(VARIANTS).join(", ")}\n`);
    process.exit(2);
  }
  return {
    reps: Math.round(value("--reps", 10)),
    threshold: value("--threshold", 3),
    neighbour: argv.includes("--neighbour"),
    variants,
    ...(dumpAt >= 0 && argv[dumpAt + 1] !== undefined ? { dump: argv[dumpAt + 1]! } : {}),
  };
}

function git(cwd: string, args: readonly string[]): void {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_AUTHOR_NAME: "eval", GIT_AUTHOR_EMAIL: "eval@example.com", GIT_COMMITTER_NAME: "eval", GIT_COMMITTER_EMAIL: "eval@example.com" };
  for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]) delete env[name];
  const r = spawnSync("git", ["-c", "commit.gpgsign=false", ...args], { cwd, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

function makeRepo(threshold: number): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-eval-ab-")));
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write("package.json", JSON.stringify({ name: "eval-ab", private: true }));
  write(".gitignore", "node_modules/\n.choragen/\n");
  write("benchmarks/workloads.bench.ts", BENCH_FILE);
  write("src/size.ts", "export const F = 1;\n");
  // Not committed: the same config on every branch.
  write(".choragen/performance.yaml", `benchmarks:\n  regressionThreshold: ${threshold}\nthresholds:\n  minScore: 0\n`);
  fs.mkdirSync(path.join(root, "node_modules", "@choragen"), { recursive: true });
  fs.symlinkSync(PACKAGE_ROOT, path.join(root, "node_modules", "@choragen", "perf"), "dir");
  git(root, ["init", "-q", "-b", "main"]);
  git(root, ["add", "-A"]);
  git(root, ["commit", "-q", "-m", "base"]);
  for (const [name, factor] of Object.entries(VARIANTS)) {
    git(root, ["checkout", "-q", "-b", name, "main"]);
    write("src/size.ts", factor === 1 ? "// unchanged code, a comment only\nexport const F = 1;\n" : `export const F = ${factor};\n`);
    git(root, ["commit", "-q", "-am", name]);
  }
  git(root, ["checkout", "-q", "main"]);
  return root;
}

interface Comparison {
  readonly verdict: string;
  readonly changePct: number;
  readonly paired?: { readonly rounds: number; readonly stop: string };
}
interface Report {
  readonly benches: readonly { readonly id: string; readonly comparison?: Comparison }[];
}

interface CliRun {
  readonly ms: number;
  readonly report: Report;
}

function choragen(cwd: string, args: readonly string[]): CliRun {
  const started = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args, "--reporter", "json"], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 30 * 60_000 });
  const ms = Date.now() - started;
  if (r.status !== 0 && r.status !== 1) throw new Error(`choragen ${args.join(" ")} exited with ${String(r.status)}: ${r.stderr}`);
  return { ms, report: JSON.parse(r.stdout) as Report };
}

/** A CPU-bound neighbour: one process spinning for as long as the evaluation runs. */
function startNeighbour(): ChildProcess {
  return spawn(process.execPath, ["-e", "let x = 0; for (;;) { x = (x * 1103515245 + 12345) | 0; }"], { stdio: "ignore" });
}

interface Cell {
  flagged: number;
  judged: number;
  changes: number[];
  rounds: number[];
}
const cell = (): Cell => ({ flagged: 0, judged: 0, changes: [], rounds: [] });

interface Tally {
  /** method → variant → bench → cell */
  readonly cells: Map<string, Cell>;
  readonly ms: { ab: number[]; plain: number[] };
  readonly loads: number[];
}

function record(tally: Tally, method: string, variant: Variant, report: Report): void {
  for (const b of report.benches) {
    const c = b.comparison;
    if (c === undefined || c.verdict === "new") continue;
    for (const key of [`${method}|${variant}|${b.id}`, `${method}|${variant}|*`]) {
      let entry = tally.cells.get(key);
      if (entry === undefined) tally.cells.set(key, (entry = cell()));
      entry.judged++;
      if (c.verdict === "regression") entry.flagged++;
      entry.changes.push(c.changePct);
      if (c.paired !== undefined) entry.rounds.push(c.paired.rounds);
    }
  }
}

function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const pct = (c: Cell | undefined): string => (c === undefined || c.judged === 0 ? "–" : `${((100 * c.flagged) / c.judged).toFixed(1)}% (${c.flagged}/${c.judged})`);
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function summary(tally: Tally, options: Options, benches: readonly string[]): string {
  const out: string[] = [];
  const load = tally.loads;
  out.push(
    `eval:ab — ${options.reps} reps, threshold ${options.threshold}%, ${options.neighbour ? "with" : "without"} a CPU-bound neighbour; ` +
      `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), node ${process.version}; 1-min load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`,
  );
  const columns = options.variants.map((v) => (v === "same" ? "false alarms (unchanged)" : `caught (${v === "slow5" ? "5%" : "10%"})`));
  for (const method of ["ab", "stored"]) {
    out.push("", method === "ab" ? "perf:bench --against main (side by side)" : "perf:bench against stored baselines saved on main (today's rule)");
    out.push(`| workload | ${columns.join(" | ")} | measured change (median, ${options.variants.join(" / ")}) |${method === "ab" ? " rounds (median, per variant) |" : ""}`);
    out.push(`|---|${columns.map(() => "---|").join("")}---|${method === "ab" ? "---|" : ""}`);
    for (const id of [...benches, "*"]) {
      const cells = options.variants.map((v) => tally.cells.get(`${method}|${v}|${id}`));
      const changes = cells.map((c) => (c === undefined ? "–" : `${median(c.changes).toFixed(1)}%`)).join(" / ");
      const rounds = cells.map((c) => (c === undefined || c.rounds.length === 0 ? "–" : String(median(c.rounds)))).join(" / ");
      out.push(`| ${id === "*" ? "**all**" : id} | ${cells.map(pct).join(" | ")} | ${changes} |${method === "ab" ? ` ${rounds} |` : ""}`);
    }
  }
  const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
  out.push(
    "",
    `time: perf:bench --against main ${(sum(tally.ms.ab) / Math.max(1, tally.ms.ab.length) / 1000).toFixed(1)} s per run on average, ` +
      `perf:bench (stored baselines) ${(sum(tally.ms.plain) / Math.max(1, tally.ms.plain.length) / 1000).toFixed(1)} s: ` +
      `${(sum(tally.ms.ab) / Math.max(1, tally.ms.ab.length) / (sum(tally.ms.plain) / Math.max(1, tally.ms.plain.length))).toFixed(2)}×`,
  );
  return out.join("\n");
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const root = makeRepo(options.threshold);
  const neighbour = options.neighbour ? startNeighbour() : undefined;
  const stop = (): void => {
    neighbour?.kill("SIGKILL");
  };
  process.once("exit", stop);
  const tally: Tally = { cells: new Map(), ms: { ab: [], plain: [] }, loads: [] };
  const dumped: unknown[] = [];
  let benches: string[] = [];
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      git(root, ["checkout", "-q", "main"]);
      tally.loads.push(os.loadavg()[0]!);
      const saved = choragen(root, ["perf:bench", "--save-baseline"]);
      benches = saved.report.benches.map((b) => b.id);
      for (const variant of shuffle(options.variants)) {
        git(root, ["checkout", "-q", variant]);
        tally.loads.push(os.loadavg()[0]!);
        // Alternate which of the two commands runs first, so neither always gets the quieter moment.
        const order = rep % 2 === 0 ? (["plain", "ab"] as const) : (["ab", "plain"] as const);
        for (const method of order) {
          const run = choragen(root, method === "ab" ? ["perf:bench", "--against", "main"] : ["perf:bench"]);
          tally.ms[method].push(run.ms);
          record(tally, method === "ab" ? "ab" : "stored", variant, run.report);
          dumped.push({ rep, variant, method, ms: run.ms, load: os.loadavg()[0], report: run.report });
          process.stderr.write(`rep ${rep + 1}/${options.reps} ${variant} ${method}: ${(run.ms / 1000).toFixed(1)} s, load ${os.loadavg()[0]!.toFixed(1)}\n`);
        }
      }
      process.stderr.write(`${summary(tally, options, benches)}\n\n`);
    }
  } finally {
    stop();
    if (options.dump !== undefined) fs.writeFileSync(options.dump, JSON.stringify(dumped));
    fs.rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`${summary(tally, options, benches)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
