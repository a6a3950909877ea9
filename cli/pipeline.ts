/**
 * The steps the commands are made of (measure, judge, report), so `perf` is exactly
 * `perf:bench` + a program run + `perf:check` and the three can never drift apart.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, release } from "node:os";
import { dirname, resolve } from "node:path";
import { chooseBaselines } from "./baseline-source";
import { effectiveBudget } from "./engine/budgets";
import type { Style } from "./color";
import type { Engine } from "./engine-loader";
import type { Baselines, BenchBudget, JudgeInput, RunResults, ThirdPass } from "./engine/types";
import { CliError } from "./errors";
import { createProgress, type ProgressStream } from "./progress";
import type { Project } from "./project";
import { emitReport, type ReporterName } from "./report/index";
import { renderJson } from "./report/json";
import { buildReport, type CommandName, type CommandRun, type PerfReport } from "./report/model";
import { packageVersion } from "./version";

/** The flags `perf` and `perf:bench` share (cli/commands/options.ts), as the actions receive them. */
export interface MeasureArgs {
  readonly filter: string | undefined;
  readonly baselineRef: string | undefined;
  readonly against?: string | undefined;
  readonly quick: boolean;
  readonly json: string | undefined;
  readonly reporter: string | undefined;
  readonly config: string | undefined;
}

export function parseFilter(value: string | undefined): RegExp | undefined {
  if (value === undefined) return undefined;
  try {
    return new RegExp(value);
  } catch (error) {
    throw new CliError(`--filter "${value}" is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, "")}.`);
  }
}

export interface BaselinePick {
  readonly baselines: Baselines;
  readonly warnings: readonly string[];
}

export function pickBaselines(engine: Engine, project: Project, explicitRef: string | undefined): Promise<BaselinePick> {
  return chooseBaselines(
    {
      root: project.root,
      ...(explicitRef !== undefined ? { explicitRef } : {}),
      configuredRef: project.config.benchmarks.baselineBranch,
    },
    engine.loadBaselines,
  );
}

/**
 * The ref to measure side by side with (`--against`, else `benchmarks.against`), or undefined for the
 * stored-baseline comparison. The config's ref gives way to flags that ask for stored baselines
 * (`--save-baseline`, `--baseline-ref`) and to `--quick`; given on the command line, it cannot be combined with them.
 */
export function pickAgainst(project: Project, flags: { readonly against?: string | undefined; readonly quick: boolean; readonly saveBaseline?: boolean; readonly baselineRef?: string | undefined }): string | undefined {
  const { against } = flags;
  if (against !== undefined) {
    const clash = flags.saveBaseline === true ? "--save-baseline" : flags.baselineRef !== undefined ? "--baseline-ref" : flags.quick ? "--quick" : undefined;
    if (clash !== undefined) {
      throw new CliError(
        `--against cannot be combined with ${clash}: --against measures the ref side by side in this run instead of using stored baselines${clash === "--quick" ? ", and needs at least 6 rounds per bench to give a verdict" : ""}.`,
      );
    }
    if (against.trim() === "" || against === ".") throw new CliError(`--against needs a git ref (a branch, tag or commit), e.g. --against origin/main; got ${JSON.stringify(against)}.`);
    return against;
  }
  if (flags.saveBaseline === true || flags.baselineRef !== undefined || flags.quick) return undefined;
  return project.config.benchmarks.against;
}

export interface MeasureOptions {
  /** Measure side by side against this git ref (see pickAgainst). */
  readonly against?: string;
  readonly filter?: RegExp;
  readonly quick: boolean;
  /** What the run will be compared with: a bench that looks like a regression gets a third process. */
  readonly baselines?: Baselines;
  /** The run becomes the baselines: every bench gets a third process. */
  readonly saveBaseline?: boolean;
  readonly progress: ProgressStream;
  readonly progressStyle: Style;
}

export async function measure(engine: Engine, project: Project, options: MeasureOptions): Promise<RunResults> {
  const progress = createProgress(options.progress, options.progressStyle);
  try {
    if (options.against !== undefined) {
      return await engine.runAgainst({
        root: project.root,
        config: project.config,
        against: options.against,
        ...(options.filter ? { filter: options.filter } : {}),
        onProgress: progress.onProgress,
      });
    }
    return await engine.runBenchmarks({
      root: project.root,
      config: project.config,
      // `--config` too: the bench files are compiled with the config in effect, not the one at the root.
      configFile: project.loaded.file,
      quick: options.quick,
      ...(options.filter ? { filter: options.filter } : {}),
      ...thirdPass(engine, project, options),
      onProgress: progress.onProgress,
    });
  } finally {
    progress.finish();
  }
}

/**
 * Which benches a standard run measures in a third process (docs/regressions.md): all of them when
 * the run is saved as baselines (measured once, compared with many times: a baseline taken while the
 * machine was busy would hide every later slowdown), else those that look like regressions.
 */
function thirdPass(engine: Engine, project: Project, options: MeasureOptions): { thirdPass?: ThirdPass } {
  if (options.saveBaseline === true) return { thirdPass: { select: () => true, reason: "save-baseline" } };
  if (options.baselines === undefined || options.baselines.files.length === 0) return {};
  return { thirdPass: engine.confirmRegressions(options.baselines, project.config.benchmarks.regressionThreshold) };
}

/** Why a run measured nothing, or null when it measured something (or failed trying). */
export function nothingMeasured(project: Project, results: RunResults, filter: RegExp | undefined): string | null {
  if (results.results.length > 0 || results.fileFailures.length > 0) return null;
  if (filter) return `no benchmark matched --filter ${JSON.stringify(filter.source)}`;
  const include = project.config.benchmarks.include.map((glob) => JSON.stringify(glob)).join(", ");
  return `no bench files found: nothing under ${project.root} matches benchmarks.include (${include})`;
}

/** Results with no benches: what a program-only run (benchmarks disabled or absent) is judged on. */
export function emptyResults(quick: boolean): RunResults {
  const cpu = cpus();
  return {
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpu: (cpu[0]?.model ?? "unknown").trim().replace(/\s+/g, " "),
      cores: cpu.length,
      arch: process.arch,
      os: `${process.platform} ${release()}`,
    },
    quick,
    results: [],
    fileFailures: [],
    violations: [],
  };
}

/** The engine's judge input (its config comes from the project), plus what only the CLI knows. */
export interface JudgeOptions extends Pick<JudgeInput, "results" | "extraViolations" | "extraContracts" | "savedAsBaselines"> {
  readonly command: CommandName;
  readonly baselines?: BaselinePick;
  readonly run?: CommandRun;
  readonly warnings?: readonly string[];
}

/**
 * Results carry the budget in effect when they were measured; `perf:check` must judge against the
 * config as it is now: a budget tightened, loosened or removed since the run counts. The bench file's
 * own budget (`fileBudget`) is merged with today's config as the engine does. Results from before
 * `fileBudget` was kept only have the merged budget, which today's config is laid over.
 */
export function withConfigBudgets(results: RunResults, budgets: Readonly<Record<string, BenchBudget>>): RunResults {
  return {
    ...results,
    results: results.results.map((r) => {
      const { budget: _stale, ...rest } = r;
      const budget = effectiveBudget(r.id, r.name, r.fileBudget ?? r.budget, budgets);
      return budget === undefined || Object.keys(budget).length === 0 ? rest : { ...rest, budget };
    }),
  };
}

export function judgeToReport(engine: Engine, project: Project, options: JudgeOptions): PerfReport {
  const verdict = engine.judge({
    config: project.config,
    results: withConfigBudgets(options.results, project.config.benchmarks.budgets),
    ...(options.baselines ? { baselines: options.baselines.baselines } : {}),
    ...(options.extraViolations ? { extraViolations: options.extraViolations } : {}),
    ...(options.extraContracts ? { extraContracts: options.extraContracts } : {}),
    ...(options.savedAsBaselines === true ? { savedAsBaselines: true } : {}),
  });
  const baselines = options.baselines?.baselines;
  return buildReport({
    command: options.command,
    version: packageVersion(),
    root: project.root,
    configFile: project.configFile,
    maxViolations: project.config.thresholds.maxViolations,
    results: options.results,
    verdict,
    baseline: baselines && baselines.files.length > 0 ? { source: baselines.source, files: baselines.files.length } : null,
    ...(options.run ? { run: options.run } : {}),
    extraWarnings: [...(options.baselines?.warnings ?? []), ...(options.warnings ?? [])],
  });
}

export interface OutputOptions {
  readonly reporter: ReporterName;
  readonly stdout: { write(text: string): unknown; readonly columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly color: boolean;
  /** --json <file>, resolved from the working directory. */
  readonly jsonFile: string | undefined;
  readonly cwd: string;
}

export function output(report: PerfReport, options: OutputOptions): number {
  emitReport(options.reporter, report, {
    stdout: options.stdout,
    env: options.env,
    color: options.color,
    // A pseudo-terminal may report 0 columns: treat that as unknown rather than as no room at all.
    ...(options.stdout.columns ? { columns: options.stdout.columns } : {}),
  });
  if (options.jsonFile !== undefined) {
    const file = resolve(options.cwd, options.jsonFile);
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, renderJson(report));
    } catch (error) {
      throw new CliError(`cannot write the JSON report to ${file}: ${(error as Error).message}.`);
    }
  }
  return report.passed ? 0 : 1;
}
