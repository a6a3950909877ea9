import { Command, Option } from "clipanion";
import type * as CheckAction from "../actions/check";
import type { CommandIo } from "../io";
import { ChoragenCommand } from "./base";
import { baselineRefOption, configOption, jsonOption, reporterOption } from "./options";

export class CheckCommand extends ChoragenCommand {
  static override paths = [["perf:check"]];

  static override usage = Command.Usage({
    category: "Performance",
    description: "judge the latest results and violations against the config, without measuring",
    details: `
      Reads the last benchmark results (\`.choragen/results/latest.json\`, written by \`choragen perf:bench\` or \`choragen perf\`) and the contract violations collected by \`choragen perf -- <cmd>\` (\`.choragen/results/violations.json\`), and judges them against the budgets, the baselines, \`thresholds.minScore\` and \`thresholds.maxViolations\`. It prints the score (0–100) and every deduction that made it.

      Exits with 0 when everything passes, 1 when a budget, a regression, the violation count, the score or the collected program fails, and 2 on a usage or configuration error or when there is nothing to check.

      \`--print-config\` prints the resolved configuration, each value marked with where it came from (the file or a default), and exits.
    `,
    examples: [
      ["Gate a CI job on the results of an earlier step", "$0 perf:check"],
      ["Write a JUnit file for the CI test view", "$0 perf:check --reporter junit > choragen.xml"],
      ["Annotate a pull request on GitHub Actions", "$0 perf:check --reporter github"],
      ["Show the configuration in effect and where each value came from", "$0 perf:check --print-config"],
    ],
  });

  printConfig = Option.Boolean("--print-config", false, { description: "Print the resolved configuration with the source of each value, then exit" });
  baselineRef = baselineRefOption();
  json = jsonOption();
  reporter = reporterOption();
  config = configOption();

  protected run(io: CommandIo): Promise<number> {
    const { runCheck } = require("../actions/check") as typeof CheckAction;
    const { printConfig, baselineRef, json, reporter, config } = this;
    return runCheck({ printConfig, baselineRef, json, reporter, config }, io);
  }
}
