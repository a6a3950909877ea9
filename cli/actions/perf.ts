import { clearCollected, writeCollected } from "../collected";
import { loadEngine } from "../engine-loader";
import type { RunResults } from "../engine/types";
import { isOnViolation, ON_VIOLATION } from "../../runtime/defaults";
import { CliError } from "../errors";
import { stderrStyle, stdoutColor, type CommandIo } from "../io";
import { emptyResults, judgeToReport, measure, nothingMeasured, output, parseFilter, pickAgainst, pickBaselines, type BaselinePick, type MeasureArgs } from "../pipeline";
import { loadProject } from "../project";
import { isMachineReadable, parseReporter } from "../report/index";
import { runProgram, type ProgramOutcome } from "../run-program";
import { ignoredPluginWarnings } from "../ignored-plugin";

export interface PerfArgs extends MeasureArgs {
  /** The program after `--`; empty for none. */
  readonly program: readonly string[];
  /** A program that arms no contract passes (otherwise a gate that checked nothing fails). */
  readonly allowNoContracts: boolean;
}

/** `choragen perf [-- <cmd>]`: benchmarks, then the program with contracts armed, then one check. */
export async function runPerf(args: PerfArgs, io: CommandIo): Promise<number> {
  const reporter = parseReporter(args.reporter);
  const filter = parseFilter(args.filter);
  const project = loadProject(io.cwd, args.config);
  // `-- $EMPTY` or `-- ""`: a program was meant but none was given; running nothing must not pass.
  if (args.program.length > 0 && args.program[0]!.trim() === "") {
    throw new CliError("the command after `--` is empty: give the program to run, e.g. `choragen perf -- npm test`.");
  }
  if (!project.config.benchmarks.enabled && args.program.length === 0) {
    throw new CliError(
      `nothing to check: benchmarks are disabled (benchmarks.enabled: false in ${project.configFile ?? "the config"}) and no command follows \`--\`. ` +
        "Give the program whose contracts to check, e.g. `choragen perf -- npm test`, or enable the benchmarks.",
    );
  }
  if (args.program.length > 0) checkOnViolationEnv(io.env);
  const engine = loadEngine();
  const warnings: string[] = [];

  let results: RunResults;
  let baselines: BaselinePick | undefined;
  if (project.config.benchmarks.enabled) {
    const against = pickAgainst(project, args);
    // Side by side there are no stored baselines to read.
    baselines = against === undefined ? await pickBaselines(engine, project, args.baselineRef) : undefined;
    results = await measure(engine, project, {
      quick: args.quick,
      ...(filter ? { filter } : {}),
      ...(against === undefined ? {} : { against }),
      ...(baselines ? { baselines: baselines.baselines } : {}),
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
    program = await runProgram({
      argv: args.program,
      cwd: io.cwd,
      env: io.env,
      stdoutToStderr: isMachineReadable(reporter),
      allowNoContracts: args.allowNoContracts,
    });
    writeCollected(project.root, {
      schemaVersion: 1,
      collectedAt: new Date().toISOString(),
      run: program.run,
      contracts: program.contracts,
      violations: program.violations,
    });
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

/**
 * The program inherits CHORAGEN_PERF_ON_VIOLATION from us; a value the runtime does not know (`THROW`,
 * empty, a typo) would leave the user believing violations throw while they are only recorded.
 */
function checkOnViolationEnv(env: Readonly<Record<string, string | undefined>>): void {
  const value = env["CHORAGEN_PERF_ON_VIOLATION"];
  if (value === undefined || isOnViolation(value)) return;
  const hint = isOnViolation(value.trim().toLowerCase()) ? ` (did you mean "${value.trim().toLowerCase()}"? values are lower case)` : "";
  throw new CliError(
    `CHORAGEN_PERF_ON_VIOLATION is ${value === "" ? "set but empty" : JSON.stringify(value)}: expected one of ${ON_VIOLATION.join(", ")}${hint}. Unset it to use contracts.onViolation from the config.`,
  );
}
