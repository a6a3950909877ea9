import { existsSync } from "node:fs";
import { readCollected } from "../collected";
import { loadEngine } from "../engine-loader";
import type { RunResults } from "../engine/types";
import { CliError } from "../errors";
import type { CommandIo } from "../io";
import { stdoutColor } from "../io";
import { emptyResults, judgeToReport, output, pickBaselines } from "../pipeline";
import { formatProjectConfig, loadProject } from "../project";
import { parseReporter } from "../report/index";
import { ignoredPluginWarnings } from "../ignored-plugin";

export interface CheckArgs {
  readonly printConfig: boolean;
  readonly baselineRef: string | undefined;
  readonly json: string | undefined;
  readonly reporter: string | undefined;
  readonly config: string | undefined;
}

/** `choragen perf:check`: judge what earlier runs stored, measuring nothing. */
export async function runCheck(args: CheckArgs, io: CommandIo): Promise<number> {
  if (args.printConfig) {
    const text = formatProjectConfig(loadProject(io.cwd, args.config));
    io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    return 0;
  }
  const reporter = parseReporter(args.reporter);
  const project = loadProject(io.cwd, args.config);
  const engine = loadEngine();
  const collected = readCollected(project.root);
  const latest = existsSync(engine.latestResultsPath(project.root)) ? engine.readLatestResults(project.root) : undefined;
  // A stored run that measured nothing (older versions wrote them) counts as no results: judged, it would pass on nothing.
  const measured = latest !== undefined && (latest.results.length > 0 || latest.fileFailures.length > 0) ? latest : undefined;
  let results: RunResults;
  if (measured) {
    results = measured;
  } else if (collected) {
    results = emptyResults(false);
  } else {
    const why = latest === undefined ? "there are no benchmark results (.choragen/results/latest.json)" : ".choragen/results/latest.json holds a run that measured no benchmark";
    throw new CliError(
      `nothing to check: ${why} and no collected violations ` +
        `(.choragen/results/violations.json) in ${project.root}. Run \`choragen perf:bench\` or \`choragen perf -- <cmd>\` first.`,
    );
  }
  // Results measured side by side (--against) are judged on their own paired rounds, not on stored baselines.
  const baselines = results.results.length > 0 && results.against === undefined ? await pickBaselines(engine, project, args.baselineRef) : undefined;
  const report = judgeToReport(engine, project, {
    command: "perf:check",
    results,
    ...(baselines ? { baselines } : {}),
    ...(collected ? { extraViolations: collected.violations, extraContracts: collected.contracts, run: collected.run } : {}),
    warnings: ignoredPluginWarnings(project.root, collected?.violations),
  });
  return output(report, { reporter, stdout: io.stdout, env: io.env, color: stdoutColor(io), cwd: io.cwd, jsonFile: args.json });
}
