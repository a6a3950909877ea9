/**
 * Start-up cost of the CLI against bare node, measured side by side (also part of `npm run bench:self`):
 *   npm run bench:startup -- [--runs 20] [--project <dir>]
 * Runs `node -e 0`, `choragen --help` and `choragen perf:check` (on stored results; warm, and cold:
 * right after a config change, so without the config cache) alternately, so
 * machine noise hits all three alike, and prints medians and minimums with their ratios to bare node. The goal
 * is perf:check within 3× of `node -e 0`: it must not load TypeScript or mitata.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median } from "./stats";

const repo = resolve(__dirname, "..", "..");
const bin = join(repo, "bin", "choragen.js");

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function tempProject(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "choragen-startup-"));
  cpSync(join(repo, "test", "fixtures", "cli", "stored"), dir, { recursive: true });
  mkdirSync(join(dir, "node_modules", "@choragen"), { recursive: true });
  symlinkSync(repo, join(dir, "node_modules", "@choragen", "perf"), "dir");
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function time(args: readonly string[], cwd: string, before?: () => void): number {
  before?.();
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...args], { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${args.join(" ")} exited with ${String(run.status)}: ${run.stderr.toString()}`);
  return elapsed;
}

export interface StartupCase {
  readonly label: string;
  readonly medianMs: number;
  readonly minMs: number;
  /** Median over the median of `node -e 0`. */
  readonly medianRatio: number;
  /** Minimum over the minimum of `node -e 0`: what a quiet machine would show. */
  readonly minRatio: number;
}

export interface StartupFigures {
  readonly runs: number;
  /** `node -e 0` first, then `choragen --help`, `choragen perf:check`, `perf:check, cold`. */
  readonly cases: readonly StartupCase[];
}

/**
 * Times the four commands alternately, `runs` times each after one warm-up round, on `project` (a folder with
 * stored results) or on a temporary copy of the stored-results fixture.
 */
export function measureStartup(options: { readonly runs?: number; readonly project?: string } = {}): StartupFigures {
  const runs = Math.max(1, options.runs ?? 20);
  const project = options.project !== undefined ? { dir: resolve(options.project), cleanup: () => undefined } : tempProject();
  // "cold" is the first check after the config file changed: the config cache must be rebuilt.
  const dropConfigCache = (): void => rmSync(join(project.dir, ".choragen", "cache", "config.json"), { force: true });
  const commands: { readonly label: string; readonly args: readonly string[]; readonly before?: () => void }[] = [
    { label: "node -e 0", args: ["-e", "0"] },
    { label: "choragen --help", args: [bin, "--help"] },
    { label: "choragen perf:check", args: [bin, "perf:check"] },
    { label: "perf:check, cold", args: [bin, "perf:check"], before: dropConfigCache },
  ];
  try {
    for (const c of commands) time(c.args, project.dir, c.before); // warm the file cache
    const samples = commands.map(() => [] as number[]);
    for (let i = 0; i < runs; i++) commands.forEach((c, j) => samples[j]?.push(time(c.args, project.dir, c.before)));
    const base = median(samples[0] ?? []);
    const baseMin = Math.min(...(samples[0] ?? []));
    const cases = commands.map((c, j): StartupCase => {
      const m = median(samples[j] ?? []);
      const min = Math.min(...(samples[j] ?? []));
      return { label: c.label, medianMs: m, minMs: min, medianRatio: m / base, minRatio: min / baseMin };
    });
    return { runs, cases };
  } finally {
    project.cleanup();
  }
}

function main(): void {
  const given = option("--project");
  const figures = measureStartup({ runs: Number(option("--runs") ?? "20"), ...(given !== undefined ? { project: given } : {}) });
  console.log(`${figures.runs} runs each, alternating (node ${process.version})`);
  // The minimum is what a quiet machine would show; the median is what this one did.
  for (const c of figures.cases) {
    console.log(
      `  ${c.label.padEnd(22)} median ${c.medianMs.toFixed(1).padStart(7)} ms  ${c.medianRatio.toFixed(2)}×   min ${c.minMs.toFixed(1).padStart(7)} ms  ${c.minRatio.toFixed(2)}×`,
    );
  }
}

if (require.main === module) main();
