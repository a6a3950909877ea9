/**
 * `npm run bench:self`: the project's own numbers, measured side by side in one run and printed as one table.
 *   1. probe cost per call against two clock reads and against the runtime decorator wrapper; memory probe cost;
 *   2. strip mode: a generated project compiled in strip mode against the same project written without
 *      annotations (byte identity, sizes), and the instrument output's size overhead;
 *   3. `tspc` with the transformer against `tspc` without it on that project, alternating runs (goal <= 1.05x);
 *   4. CLI start-up against `node -e 0`.
 * Speed goals are reported, never enforced (a shared machine is noisy); the identity checks set the exit code.
 *
 *   node dist/bench-self/self.js [--files 500] [--rounds 5] [--budget 110] [--startup-runs 15] [--profile] [--quick] [--compile-only]
 *
 * `--compile-only` runs sections 2 and 3 alone (the generated project's outputs and the compile cost). Compile cost
 * against annotations per file (one file, up to 10,000 annotations): `node dist/bench-self/dense-file.js`.
 */
import { compileReferences, createBenchProject, inspectOutputs, measureCompileCost, CONFIGS, type CostFigures, type OutputFigures } from "./compile-cost";
import { profileTspc, type ProfileSummary } from "./cpu-profile";
import { loadAverage, machine, NOISY_LOAD } from "./machine";
import { measureProbes, type ProbeFigures } from "./probes";
import { measureStartup, type StartupFigures } from "./startup";

export const COMPILE_GOAL = 1.05;
const PROBE_GOAL = 1.2;
const MEMORY_PROBE_GOAL_NS = 2500;
const STARTUP_GOAL = 3;

interface Options {
  readonly files: number;
  readonly rounds: number;
  readonly budgetSeconds: number;
  readonly startupRuns: number;
  readonly probeRounds: number;
  readonly probeCpuMs: number;
  readonly profile: boolean;
  /** Only the generated project's outputs and compile cost: no probes, no CLI start-up. */
  readonly compileOnly: boolean;
}

const USAGE = "usage: node dist/bench-self/self.js [--files N] [--rounds N] [--budget SECONDS] [--startup-runs N] [--profile] [--quick] [--compile-only]";

function parseArgs(argv: readonly string[]): Options {
  const quick = argv.includes("--quick");
  const numbers: Record<string, number> = quick
    ? { "--files": 24, "--rounds": 1, "--budget": 0, "--startup-runs": 2 }
    : { "--files": 500, "--rounds": 5, "--budget": 75, "--startup-runs": 15 };
  let profile = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--quick" || arg === "--compile-only") continue;
    if (arg === "--profile") {
      profile = true;
      continue;
    }
    if (!(arg in numbers)) throw new UsageError(`unknown argument ${arg}`);
    const value = Number(argv[++i]);
    if (!Number.isInteger(value) || value < (arg === "--budget" ? 0 : 1)) throw new UsageError(`${arg} takes a whole number${arg === "--budget" ? "" : " of at least 1"}, got ${String(argv[i])}`);
    numbers[arg] = value;
  }
  return {
    files: numbers["--files"]!,
    rounds: numbers["--rounds"]!,
    budgetSeconds: numbers["--budget"]!,
    startupRuns: numbers["--startup-runs"]!,
    probeRounds: quick ? 1 : 2,
    probeCpuMs: quick ? 50 : 640,
    profile,
    compileOnly: argv.includes("--compile-only"),
  };
}

class UsageError extends Error {}

const progress = (text: string): void => void process.stderr.write(`  … ${text}\n`);
const ms = (value: number): string => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`);
const ns = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(2)} µs` : `${value.toFixed(0)} ns`);
const x = (ratio: number): string => `${ratio.toFixed(2)}×`;
const bytes = (value: number): string => `${value.toLocaleString("en-US")} B`;
const verdict = (ok: boolean): string => (ok ? "ok" : "over");

type Row = readonly [label: string, value: string, ratio?: string, goal?: string, verdict?: string];

function table(sections: readonly (readonly [title: string, rows: readonly Row[]])[]): string {
  const all = sections.flatMap(([, rows]) => rows);
  const width = [0, 1, 2, 3].map((c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const lines: string[] = [];
  const header: Row = ["", "measured", "ratio", "goal", ""];
  const pad = (row: Row): string =>
    `  ${row[0].padEnd(width[0]!)}  ${row[1].padEnd(width[1]!)}  ${(row[2] ?? "").padStart(Math.max(5, width[2]!))}  ${(row[3] ?? "").padEnd(width[3]!)}  ${row[4] ?? ""}`.trimEnd();
  lines.push(pad(header));
  for (const [title, rows] of sections) {
    lines.push(title);
    for (const row of rows) lines.push(pad(row));
  }
  return lines.join("\n");
}

function probeRows(p: ProbeFigures): Row[] {
  const probeRatio = p.latencyProbeNs / p.twoClockReadsNs;
  return [
    ["bare method call", ns(p.bareNs)],
    ["two clock reads (performance.now() ×2)", ns(p.twoClockReadsNs)],
    ["inlined latency probe, vs two clock reads", ns(p.latencyProbeNs), x(probeRatio), `≤ ${x(PROBE_GOAL)}`, verdict(probeRatio <= PROBE_GOAL)],
    ["runtime decorator wrapper (no transformer)", ns(p.runtimeWrapperNs)],
    ["inlined latency probe, vs the runtime wrapper", ns(p.latencyProbeNs), x(p.latencyProbeNs / p.runtimeWrapperNs)],
    ["inlined memory probe", ns(p.memoryProbeNs), "", `< ${ns(MEMORY_PROBE_GOAL_NS)}`, verdict(p.memoryProbeNs < MEMORY_PROBE_GOAL_NS)],
  ];
}

function outputRows(o: OutputFigures): Row[] {
  const overhead = o.bytes.instrument - o.bytes.plain;
  const rows: Row[] = [
    ["strip output = output of the plain sources", o.strip.identical ? `identical: yes (${o.strip.files} files)` : `identical: NO (${o.strip.differing.length} of ${o.strip.files} files differ)`, "", "identical", verdict(o.strip.identical)],
    ["total JS: strip / plain", `${bytes(o.bytes.strip)} / ${bytes(o.bytes.plain)}`, x(o.bytes.strip / o.bytes.plain)],
    ["instrument output vs plain", `${bytes(o.bytes.instrument)} (+${bytes(overhead)})`, x(o.bytes.instrument / o.bytes.plain)],
    ["no transformer (runtime decorators) vs plain", `${bytes(o.bytes.without)} (+${bytes(o.bytes.without - o.bytes.plain)})`, x(o.bytes.without / o.bytes.plain)],
  ];
  if (o.strip.firstDifference) rows.push([`  first difference at ${o.strip.firstDifference.at}`, `strip: ${o.strip.firstDifference.left.trim()} | plain: ${o.strip.firstDifference.right.trim()}`]);
  return rows;
}

function compileRows(c: CostFigures): Row[] {
  const phase = (name: string): readonly [withIt: number, without: number] => [c.phasesInstrument.get(name) ?? NaN, c.phasesWithout.get(name) ?? NaN];
  const [transformWith, transformWithout] = phase("transformTime time");
  const [, totalWithout] = phase("Total time");
  const delta = transformWith - transformWithout;
  const minWall = (runs: CostFigures["without"]): string => ms(Math.min(...runs.map((r) => r.wallMs)));
  return [
    ["tspc without the plugin entry", `wall: median ${ms(c.medianWithoutMs)}, min ${minWall(c.without)}`],
    ["tspc with it (instrument mode), wall time", `wall: median ${ms(c.medianInstrumentMs)}, min ${minWall(c.instrument)}`, x(c.ratio), `≤ ${x(COMPILE_GOAL)}`, verdict(c.ratio <= COMPILE_GOAL)],
    ["  minimum over minimum", "", x(c.minRatio)],
    ["  CPU time (user + system), with vs without", `median ${ms(c.medianInstrumentCpuMs)} vs ${ms(c.medianWithoutCpuMs)}`, x(c.cpuRatio), `≤ ${x(COMPILE_GOAL)}`, verdict(c.cpuRatio <= COMPILE_GOAL)],
    // tsc's own clock around its transforms: the share of the compile they grew by, without start-up or the neighbours.
    ["  tsc's transformTime (share of its total)", `${ms(transformWith)} vs ${ms(transformWithout)}`, `${delta >= 0 ? "+" : "−"}${Math.abs((delta / totalWithout) * 100).toFixed(1)}%`],
  ];
}

function startupRows(s: StartupFigures): Row[] {
  return s.cases.map((c, i): Row => {
    const goal = c.label === "choragen perf:check";
    return [i === 0 ? c.label : `${c.label}, vs node -e 0`, `median ${ms(c.medianMs)}, min ${ms(c.minMs)}`, i === 0 ? "" : x(c.medianRatio), goal ? `≤ ${STARTUP_GOAL}×` : "", goal ? verdict(c.medianRatio <= STARTUP_GOAL) : ""];
  });
}

function profileLines(p: ProfileSummary): string[] {
  return [
    `where the transformer's compile time goes (node --cpu-prof on one tspc run with the plugin entry; ${ms(p.oursMs)} of ${ms(p.totalMs)} sampled under this repository's code):`,
    ...p.top.map((e) => `  ${ms(e.ms).padStart(8)}  (${ms(e.selfMs).padStart(7)} itself)  ${e.name}`),
  ];
}

export async function main(argv: readonly string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench:self: ${error.message}\n${USAGE}`);
    return 2;
  }
  const started = Date.now();
  const loadStart = loadAverage();
  const m = machine();

  let probes: ProbeFigures | undefined;
  if (!options.compileOnly) {
    progress("probes (mitata)");
    probes = await measureProbes({ rounds: options.probeRounds, minCpuMs: options.probeCpuMs });
  }

  progress(`generating ${options.files} files, twice (annotated and plain)`);
  const project = createBenchProject(options.files);
  let outputs: OutputFigures;
  let cost: CostFigures;
  let references: { plainMs: number; stripMs: number };
  let profile: ProfileSummary | undefined;
  try {
    progress("tspc: plain sources, then annotated sources in strip mode");
    references = compileReferences(project);
    progress(`tspc with and without the transformer, ${options.rounds} rounds, alternating (about ${ms(references.plainMs)} per compile here)`);
    cost = measureCompileCost(project, {
      rounds: options.rounds,
      ...(options.budgetSeconds > 0 ? { budgetMs: options.budgetSeconds * 1000 } : {}),
      onRun: (side, run, round) => progress(`round ${round + 1}: ${side === "instrument" ? "with the transformer" : "without"} ${ms(run.wallMs)}`),
    });
    outputs = inspectOutputs(project);
    if (options.profile) {
      progress("profiling one tspc run with the transformer (node --cpu-prof)");
      profile = profileTspc(project.annotated, CONFIGS.instrument.file);
    }
  } finally {
    project.remove();
  }

  let startup: StartupFigures | undefined;
  if (!options.compileOnly) {
    progress("CLI start-up");
    startup = measureStartup({ runs: options.startupRuns });
  }
  const loadEnd = loadAverage();

  const g = project.generated;
  const expectedContracts = g.annotations;
  const checks = [
    { ok: outputs.strip.identical, text: `strip output byte-identical to the plain sources' output (${outputs.strip.files} files)` },
    { ok: outputs.contractsEmitted === expectedContracts, text: `instrument output registers ${outputs.contractsEmitted} contracts for ${expectedContracts} annotations written` },
    { ok: outputs.probeImportsWithout === 0, text: `output without the plugin entry imports the probe runtime in ${outputs.probeImportsWithout} files (expected 0)` },
  ];

  const noisy = Math.max(loadStart, loadEnd) > NOISY_LOAD;
  const out: string[] = [];
  out.push(`@choragen/perf: the project's own numbers  (npm run bench:self${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""})`);
  out.push(`${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · node ${m.node} · ${m.cpu} ×${m.cores} · ${m.platform} · ${ms(Date.now() - started)}`);
  out.push(
    `load average ${loadStart.toFixed(2)} at start, ${loadEnd.toFixed(2)} at end` +
      (noisy ? ` (above ${NOISY_LOAD}: a shared, noisy machine; trust the side-by-side ratios more than the absolute times)` : ""),
  );
  out.push("");
  out.push(
    table([
      ...(probes ? [[`probes (mitata, time per call; ${options.probeRounds === 1 ? "one round" : `${options.probeRounds} interleaved rounds, best kept`})`, probeRows(probes)] as const] : []),
      [`strip and instrument output (${g.files.length} generated files, ${project.lines.toLocaleString("en-US")} lines, ${g.annotations} annotations in ${g.annotatedFiles} files, ${g.timers} timers)`, outputRows(outputs)],
      [`compile cost: tspc -p, ${cost.rounds} run${cost.rounds === 1 ? "" : "s"} each, alternating${cost.stoppedEarly ? ` (stopped before ${options.rounds}: time budget ${options.budgetSeconds} s)` : ""}; strip-mode compile ${ms(references.stripMs)}, plain ${ms(references.plainMs)}`, compileRows(cost)],
      ...(startup ? [[`CLI start-up (${startup.runs} runs each, alternating; perf:check on stored results)`, startupRows(startup)] as const] : []),
    ]),
  );
  out.push("");
  if (profile) out.push(...profileLines(profile), "");
  else if (cost.ratio > COMPILE_GOAL) out.push(`compile ratio above ${x(COMPILE_GOAL)}: add --profile to see where the transformer spends its time`, "");
  out.push("identity checks:");
  for (const c of checks) out.push(`  ${c.ok ? "✓" : "✗"} ${c.text}`);
  console.log(out.join("\n"));
  return checks.every((c) => c.ok) ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`bench:self failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
