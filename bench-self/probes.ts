/**
 * `npm run bench:probes`: what a probe costs per call, side by side in one run. The probes measured are the real
 * transformer output (a subject compiled here with and without the transformer), not hand-written copies.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
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

  @perf.memory({ max: 1, unit: "GB" })
  measured(x: number): number {
    this.total += x;
    return this.total;
  }
}
`;

interface Row {
  readonly name: string;
  readonly ns: number;
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

async function main(): Promise<void> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-bench-probes-")));
  fs.mkdirSync(path.join(dir, "node_modules", "@choragen"), { recursive: true });
  fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "@choragen", "perf"), "dir");
  try {
    type SubjectClass = new () => { bare(x: number): number; probed(x: number): number; measured(x: number): number };
    const inline = new ((require(compileSubject(dir, true)) as { Subject: SubjectClass }).Subject)();
    const runtime = new ((require(compileSubject(dir, false)) as { Subject: SubjectClass }).Subject)();
    const { bench, do_not_optimize, run } = (await import("mitata")) as typeof import("mitata", { with: { "resolution-mode": "import" } });
    let i = 0;
    bench("bare method", () => do_not_optimize(inline.bare(i++)));
    bench("two performance.now() calls", () => {
      const t0 = performance.now();
      do_not_optimize(performance.now() - t0);
    });
    bench("inlined latency probe (method)", () => do_not_optimize(inline.probed(i++)));
    bench("runtime decorator wrapper (method)", () => do_not_optimize(runtime.probed(i++)));
    bench("inlined memory probe (method)", () => do_not_optimize(inline.measured(i++)));
    const output = await run({ format: "quiet" } as Parameters<typeof run>[0]);
    const rows: Row[] = [];
    for (const trial of output.benchmarks) {
      const stats = trial.runs[0]?.stats;
      if (stats) rows.push({ name: trial.alias, ns: stats.avg });
    }
    const by = (name: string): number => rows.find((r) => r.name === name)?.ns ?? NaN;
    const width = Math.max(...rows.map((r) => r.name.length));
    console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"}\n`);
    for (const row of rows) console.log(`${row.name.padEnd(width)}  ${row.ns.toFixed(1).padStart(8)} ns/call`);
    const clocks = by("two performance.now() calls");
    const probe = by("inlined latency probe (method)");
    console.log("");
    console.log(`inlined latency probe / two clock reads:  ${(probe / clocks).toFixed(2)}x   (goal <= 1.2x)`);
    console.log(`inlined latency probe / runtime wrapper:  ${(probe / by("runtime decorator wrapper (method)")).toFixed(2)}x`);
    console.log(`inlined memory probe:                     ${(by("inlined memory probe (method)") / 1000).toFixed(2)} us/call   (goal < 2.5 us)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
