/**
 * `npm run bench:probes` (and the probe part of `npm run bench:self`): what a probe costs per call, side by side in one run. The probes measured are the real
 * transformer output (a subject compiled here with and without the transformer), not hand-written copies.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as ts from "typescript";
import { createPerfTransformer } from "../transformer";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

const SUBJECT = `import { perf } from "@choragen/perf";

export class Subject {
  total = 0;

  bare(x: number): number {
    this.total += x;
    return this.total;
  }

  @perf.latency({ max: 10, unit: "s" })
  probed(x: number): number {
    this.total += x;
    return this.total;
  }

  @perf.latency({ max: 10, unit: "s", percentile: 99 })
  percentile(x: number): number {
    this.total += x;
    return this.total;
  }

  @perf.memory({ max: 1, unit: "GB" })
  measured(x: number): number {
    this.total += x;
    return this.total;
  }
}
`;

export interface ProbeRow {
  readonly name: string;
  /** Mean time per call, in nanoseconds (mitata's average over its batches). */
  readonly ns: number;
}

/** The probe figures of one run, measured side by side in one process. */
export interface ProbeFigures {
  readonly rows: readonly ProbeRow[];
  readonly bareNs: number;
  readonly twoClockReadsNs: number;
  readonly latencyProbeNs: number;
  readonly runtimeWrapperNs: number;
  readonly memoryProbeNs: number;
  readonly percentileProbeNs: number;
}

export interface ProbeOptions {
  /** Measurement rounds over all cases, interleaved; each case keeps its fastest round. Default 2. */
  readonly rounds?: number;
  /** mitata's minimum CPU time per case and round, in milliseconds. Default 640 (mitata's own default). */
  readonly minCpuMs?: number;
}

function compileSubject(dir: string, transform: boolean): string {
  const file = path.join(dir, transform ? "inline" : "runtime", "subject.ts");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, SUBJECT);
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, strict: true, skipLibCheck: true, types: [], lib: ["lib.es2022.d.ts", "lib.dom.d.ts"] };
  const program = ts.createProgram([file], options);
  const perf = transform ? createPerfTransformer(program, { mode: "instrument" }, ts) : undefined;
  const emitted = program.emit(undefined, undefined, undefined, false, perf ? { before: [perf.factory] } : undefined);
  const problems = [...emitted.diagnostics, ...(perf?.diagnostics ?? [])];
  if (problems.length > 0) throw new Error(ts.formatDiagnostics(problems, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" }));
  return file.replace(/\.ts$/, ".js");
}

/**
 * Compiles the subject with and without the transformer and measures, with mitata, a bare method, two
 * `performance.now()` reads, the inlined latency probe, the runtime decorator wrapper and the inlined memory probe.
 * The cases are measured in interleaved rounds so a noisy stretch of a shared machine does not land on one alone.
 */
export async function measureProbes(options: ProbeOptions = {}): Promise<ProbeFigures> {
  const rounds = Math.max(1, options.rounds ?? 2);
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-bench-probes-")));
  fs.mkdirSync(path.join(dir, "node_modules", "@choragen"), { recursive: true });
  fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "@choragen", "perf"), "dir");
  try {
    type SubjectClass = new () => { bare(x: number): number; probed(x: number): number; percentile(x: number): number; measured(x: number): number };
    const inline = new ((require(compileSubject(dir, true)) as { Subject: SubjectClass }).Subject)();
    const runtime = new ((require(compileSubject(dir, false)) as { Subject: SubjectClass }).Subject)();
    type Runtime = { perf: { latency<F extends (x: number) => number>(options: { max: number; unit: "s" }, fn: F): F } };
    const cjsRuntime = require(path.join(REPO_ROOT, "dist", "runtime", "index.js")) as Runtime;
    const esmRuntime = (await import(pathToFileURL(path.join(REPO_ROOT, "dist", "runtime", "esm", "index.mjs")).href)) as Runtime;
    let total = 0;
    const cjsWrapped = cjsRuntime.perf.latency({ max: 10, unit: "s" }, function cjsWrapped(x: number) { return (total += x); });
    const esmWrapped = esmRuntime.perf.latency({ max: 10, unit: "s" }, function esmWrapped(x: number) { return (total += x); });
    const { measure, do_not_optimize } = (await import("mitata")) as typeof import("mitata", { with: { "resolution-mode": "import" } });
    let i = 0;
    const clock = globalThis.performance;
    const cases: [string, () => void][] = [
      ["bare method", () => do_not_optimize(inline.bare(i++))],
      [
        "two performance.now() calls",
        () => {
          // Read through a captured reference, as the probe does, so the comparison is the clock and not a global lookup.
          const t0 = clock.now();
          do_not_optimize(clock.now() - t0);
        },
      ],
      ["inlined latency probe (method)", () => do_not_optimize(inline.probed(i++))],
      ["inlined p99 latency probe (method)", () => do_not_optimize(inline.percentile(i++))],
      ["runtime decorator wrapper (method)", () => do_not_optimize(runtime.probed(i++))],
      ["inlined memory probe (method)", () => do_not_optimize(inline.measured(i++))],
      // The same runtime wrapper from each build of the runtime: the ESM one (dist/runtime/esm, bundled by
      // scripts/build-runtime-esm.mjs) must cost what the CommonJS one costs.
      ["runtime wrapper (function), CommonJS build", () => do_not_optimize(cjsWrapped(i++))],
      ["runtime wrapper (function), ESM build", () => do_not_optimize(esmWrapped(i++))],
    ];
    const best = new Map<string, number>();
    const minCpuTime = (options.minCpuMs ?? 640) * 1e6;
    for (let round = 0; round < rounds; round++) {
      for (const [name, fn] of cases) {
        const stats = await measure(fn, { min_cpu_time: minCpuTime });
        best.set(name, Math.min(best.get(name) ?? Infinity, stats.avg));
      }
    }
    const rows: ProbeRow[] = cases.map(([name]) => ({ name, ns: best.get(name) ?? NaN }));
    const by = (name: string): number => rows.find((r) => r.name === name)?.ns ?? NaN;
    return {
      rows,
      bareNs: by("bare method"),
      twoClockReadsNs: by("two performance.now() calls"),
      latencyProbeNs: by("inlined latency probe (method)"),
      runtimeWrapperNs: by("runtime decorator wrapper (method)"),
      memoryProbeNs: by("inlined memory probe (method)"),
      percentileProbeNs: by("inlined p99 latency probe (method)"),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const figures = await measureProbes();
  const width = Math.max(...figures.rows.map((r) => r.name.length));
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"}\n`);
  for (const row of figures.rows) console.log(`${row.name.padEnd(width)}  ${row.ns.toFixed(1).padStart(8)} ns/call`);
  console.log("");
  console.log(`inlined latency probe / two clock reads:  ${(figures.latencyProbeNs / figures.twoClockReadsNs).toFixed(2)}x   (goal <= 1.2x)`);
  console.log(`inlined latency probe / runtime wrapper:  ${(figures.latencyProbeNs / figures.runtimeWrapperNs).toFixed(2)}x`);
  console.log(`inlined memory probe:                     ${(figures.memoryProbeNs / 1000).toFixed(2)} us/call   (goal < 2.5 us)`);
}

if (require.main === module) void main();
