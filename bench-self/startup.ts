/**
 * Start-up cost of the CLI against bare node, measured side by side:
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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function main(): void {
  const runs = Number(option("--runs") ?? "20");
  const given = option("--project");
  const project = given !== undefined ? { dir: resolve(given), cleanup: () => undefined } : tempProject();
  // "cold" is the first check after the config file changed: the config cache must be rebuilt.
  const dropConfigCache = (): void => rmSync(join(project.dir, ".choragen", "cache", "config.json"), { force: true });
  const cases: { readonly label: string; readonly args: readonly string[]; readonly before?: () => void }[] = [
    { label: "node -e 0", args: ["-e", "0"] },
    { label: "choragen --help", args: [bin, "--help"] },
    { label: "choragen perf:check", args: [bin, "perf:check"] },
    { label: "perf:check, cold", args: [bin, "perf:check"], before: dropConfigCache },
  ];
  try {
    for (const c of cases) time(c.args, project.dir, c.before); // warm the file cache
    const samples = cases.map(() => [] as number[]);
    for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j]?.push(time(c.args, project.dir, c.before)));
    const base = median(samples[0] ?? []);
    console.log(`${runs} runs each, alternating (node ${process.version})`);
    // The minimum is what a quiet machine would show; the median is what this one did.
    const baseMin = Math.min(...(samples[0] ?? []));
    cases.forEach((c, j) => {
      const m = median(samples[j] ?? []);
      const min = Math.min(...(samples[j] ?? []));
      console.log(
        `  ${c.label.padEnd(22)} median ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}×   min ${min.toFixed(1).padStart(7)} ms  ${(min / baseMin).toFixed(2)}×`,
      );
    });
  } finally {
    project.cleanup();
  }
}

main();
