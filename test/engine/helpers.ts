import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineConfig } from "../../cli/engine/index";

/** The package root (tests run from dist/test/engine/). */
export const packageRoot = path.resolve(__dirname, "..", "..", "..");
export const fixturesDir = path.join(packageRoot, "test", "fixtures", "engine");

/**
 * A throw-away project: a copy of test/fixtures/engine/project with `@choragen/perf` installed as a
 * symlink to this package, as `npm link` would, so bench files import it by its public name.
 */
export function makeProject(prefix = "choragen-engine-"): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(path.join(fixturesDir, "project"), root, { recursive: true });
  const scope = path.join(root, "node_modules", "@choragen");
  fs.mkdirSync(scope, { recursive: true });
  fs.symlinkSync(packageRoot, path.join(scope, "perf"), "dir");
  return root;
}

export function removeProject(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

export function engineConfig(overrides: {
  include?: string[];
  exclude?: string[];
  regressionThreshold?: number;
  timeoutMs?: number;
  budgets?: EngineConfig["benchmarks"]["budgets"];
  minScore?: number;
  maxViolations?: number;
} = {}): EngineConfig {
  return {
    benchmarks: {
      include: overrides.include ?? ["benchmarks/**/*.bench.ts"],
      exclude: overrides.exclude ?? [],
      regressionThreshold: overrides.regressionThreshold ?? 10,
      timeoutMs: overrides.timeoutMs ?? 60_000,
      ...(overrides.budgets === undefined ? {} : { budgets: overrides.budgets }),
    },
    thresholds: { minScore: overrides.minScore ?? 80, maxViolations: overrides.maxViolations ?? 0 },
  };
}

/** Log-normal samples from a seeded PRNG: benchmark-like (positive, right-skewed) and reproducible. */
export function lognormalSamples(random: () => number, n: number, medianNs: number, sigma: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u1 = Math.max(random(), 1e-12);
    const u2 = random();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    out.push(medianNs * Math.exp(sigma * z));
  }
  return out.sort((a, b) => a - b);
}

/**
 * Benchmark-like samples: a floor (the code's cost) plus interference that only ever adds time
 * (exponential, mean `noise` × floor), as preemption and cache misses do. Sorted.
 */
export function timingSamples(random: () => number, n: number, floorNs: number, noise: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(floorNs * (1 + noise * -Math.log(Math.max(random(), 1e-12))));
  return out.sort((a, b) => a - b);
}
