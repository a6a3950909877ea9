import { loadEngine } from "../engine-loader";
import { EngineError } from "../engine/types";
import { CliError } from "../errors";
import { note, stderrStyle, stdoutColor, type CommandIo } from "../io";
import { judgeToReport, measure, nothingMeasured, output, parseFilter, pickAgainst, pickBaselines, type MeasureArgs } from "../pipeline";
import { loadProject } from "../project";
import { parseReporter } from "../report/index";

export interface BenchArgs extends MeasureArgs {
  readonly saveBaseline: boolean;
}

/** `choragen perf:bench`: measure, optionally save the baselines, judge, report. */
export async function runBench(args: BenchArgs, io: CommandIo): Promise<number> {
  const reporter = parseReporter(args.reporter);
  const filter = parseFilter(args.filter);
  const project = loadProject(io.cwd, args.config);
  if (!project.config.benchmarks.enabled) {
    note(io, `benchmarks are disabled (benchmarks.enabled: false in ${project.configFile ?? "the config"}); nothing to run.`);
    return 0;
  }
  if (args.saveBaseline && args.quick) {
    throw new CliError("--save-baseline cannot be used with --quick: quick-mode samples are too rough to compare later runs against. Run without --quick to save baselines.");
  }
  const against = pickAgainst(project, args);
  const engine = loadEngine();
  if (against !== undefined) {
    const results = await measure(engine, project, { quick: false, ...(filter ? { filter } : {}), against, progress: io.stderr, progressStyle: stderrStyle(io) });
    const empty = nothingMeasured(project, results, filter);
    if (empty !== null) throw new CliError(`${empty}.`);
    const report = judgeToReport(engine, project, { command: "perf:bench", results });
    return output(report, { reporter, stdout: io.stdout, env: io.env, color: stdoutColor(io), cwd: io.cwd, jsonFile: args.json });
  }
  // Read the baselines first: a bad --baseline-ref fails before minutes of measuring, and
  // --save-baseline compares with the previous baselines rather than with itself.
  const baselines = await pickBaselines(engine, project, args.baselineRef).catch((error: unknown) => {
    // A damaged baseline is what --save-baseline is about to replace: say so and go on without it.
    if (!args.saveBaseline || !(error instanceof EngineError) || error.code !== "bad-file") throw error;
    return { baselines: { source: "working tree", files: [] }, warnings: [`${error.problem}: replaced by this run`] };
  });
  const results = await measure(engine, project, {
    quick: args.quick,
    ...(filter ? { filter } : {}),
    baselines: baselines.baselines,
    saveBaseline: args.saveBaseline,
    progress: io.stderr,
    progressStyle: stderrStyle(io),
  });
  const empty = nothingMeasured(project, results, filter);
  if (empty !== null) throw new CliError(`${empty}.`);
  const warnings: string[] = [];
  if (args.saveBaseline) {
    const written = engine.saveBaselines(project.root, results);
    note(io, `saved ${written.length} baseline file${written.length === 1 ? "" : "s"} to .choragen/baselines/`);
  }
  const report = judgeToReport(engine, project, { command: "perf:bench", results, baselines, warnings, savedAsBaselines: args.saveBaseline });
  return output(report, { reporter, stdout: io.stdout, env: io.env, color: stdoutColor(io), cwd: io.cwd, jsonFile: args.json });
}
