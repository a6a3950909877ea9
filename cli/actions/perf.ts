import { clearCollected, writeCollected } from "../collected";
import { loadEngine } from "../engine-loader";
import type { RunResults } from "../engine/types";
import { CliError } from "../errors";
import { stderrStyle, stdoutColor, type CommandIo } from "../io";
import { emptyResults, judgeToReport, measure, nothingMeasured, output, parseFilter, pickBaselines, type BaselinePick } from "../pipeline";
import { loadProject } from "../project";
import { isMachineReadable, parseReporter } from "../report/index";
import { describeCommand } from "../report/model";
import { runProgram, type ProgramOutcome } from "../run-program";
import { ignoredPluginWarnings } from "../ignored-plugin";

export interface PerfArgs {
  readonly filter: string | undefined;
  readonly baselineRef: string | undefined;
  readonly quick: boolean;
  readonly json: string | undefined;
  readonly reporter: string | undefined;
  readonly config: string | undefined;
  /** The program after `--`; empty for none. */
  readonly program: readonly string[];
}

/** `choragen perf [-- <cmd>]`: benchmarks, then the program with contracts armed, then one check. */
export async function runPerf(args: PerfArgs, io: CommandIo): Promise<number> {
  const reporter = parseReporter(args.reporter);
  const filter = parseFilter(args.filter);
  const project = loadProject(io.cwd, args.config);
  const engine = loadEngine();
  const warnings: string[] = [];

  let results: RunResults;
  let baselines: BaselinePick | undefined;
  if (project.config.benchmarks.enabled) {
    baselines = await pickBaselines(engine, project, args.baselineRef);
    results = await measure(engine, project, {
      quick: args.quick,
      ...(filter ? { filter } : {}),
      baselines: baselines.baselines,
      progress: io.stderr,
      progressStyle: stderrStyle(io),
    });
    const empty = nothingMeasured(project, results, filter);
    if (empty !== null) {
      // A project that only wants its test suite's contracts checked need not have bench files;
      // with no program either, there is nothing to do, and saying "pass" would hide a typo.
      if (args.program.length === 0) throw new CliError(`${empty}; nothing to check.`);
      warnings.push(`${empty}; only the program was checked`);
      baselines = undefined;
    }
  } else {
    results = emptyResults(args.quick);
  }

  let program: ProgramOutcome | undefined;
  if (args.program.length > 0) {
    program = await runProgram({ argv: args.program, cwd: io.cwd, env: io.env, stdoutToStderr: isMachineReadable(reporter) });
    writeCollected(project.root, {
      schemaVersion: 1,
      collectedAt: new Date().toISOString(),
      run: program.run,
      contracts: program.contracts,
      violations: program.violations,
    });
    if (!program.run.reportWritten) {
      warnings.push(`\`${describeCommand(args.program)}\` wrote no performance report: it never loaded @choragen/perf, so no contract was checked`);
    }
  } else {
    clearCollected(project.root);
  }
  warnings.push(...ignoredPluginWarnings(project.root, program?.violations));

  const report = judgeToReport(engine, project, {
    command: "perf",
    results,
    ...(baselines ? { baselines } : {}),
    ...(program ? { extraViolations: program.violations, extraContracts: program.contracts, run: program.run } : {}),
    warnings,
  });
  return output(report, { reporter, stdout: io.stdout, env: io.env, color: stdoutColor(io), cwd: io.cwd, jsonFile: args.json });
}
