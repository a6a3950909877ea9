import { Command, Option } from "clipanion";
import type * as PerfAction from "../actions/perf";
import type { CommandIo } from "../io";
import { ChoragenCommand } from "./base";
import { againstOption, baselineRefOption, configOption, filterOption, jsonOption, quickOption, reporterOption } from "./options";

export class PerfCommand extends ChoragenCommand {
  static override paths = [["perf"]];

  static override usage = Command.Usage({
    category: "Performance",
    description: "run the benchmarks and a program with contracts armed, then check everything",
    details: `
      Runs the benchmarks (as \`choragen perf:bench\`), then, when a command follows \`--\`, runs it (a test suite, a program) with \`CHORAGEN_PERF_REPORT\` set so every process that loads \`@choragen/perf\` reports the contract violations it saw. Finally judges everything (as \`choragen perf:check\`) and prints one report with the score.

      The program's output is passed through. A program that exits with a non-zero code fails the check, and its violations are still reported. So does a program that armed no contract at all (a gate that checked nothing does not pass): the report says which Node.js processes started and whether any loaded \`@choragen/perf\`; pass \`--allow-no-contracts\` when that is expected. Worker threads ended with \`terminate()\`, processes ended by a signal, \`process.exit()\` and crashes all deliver what they recorded; percentile contracts are judged over the calls of every process. With \`--reporter json\` or \`junit\` the program's stdout goes to stderr, so stdout holds only the report.

      The collected violations are kept in \`.choragen/results/violations.json\` for \`choragen perf:check\`; a run without a program clears them. With \`benchmarks.enabled: false\` only the program is run.

      Exits with 0 when everything passes, 1 on a failed budget, regression, contract, score or program, 2 on a usage or configuration error.
    `,
    examples: [
      ["Benchmark and check", "$0 perf"],
      ["Also collect the contract violations of the test suite", "$0 perf -- npm test"],
      ["Collect violations from a script, quick benches only", "$0 perf --quick -- node dist/load-test.js"],
      ["CI on a pull request: the benches side by side with the base branch, and the tests", "$0 perf --against origin/main -- npm test"],
      ["CI: a JUnit file on stdout, the test output on stderr", "$0 perf --reporter junit -- npm test > choragen.xml"],
      ["Run a command that need not arm any contract", "$0 perf --allow-no-contracts -- node scripts/smoke.js"],
    ],
  });

  filter = filterOption();
  baselineRef = baselineRefOption();
  against = againstOption();
  quick = quickOption();
  json = jsonOption();
  reporter = reporterOption();
  config = configOption();
  allowNoContracts = Option.Boolean("--allow-no-contracts", false, {
    description: "Pass when the command arms no contract (by default a run that checked nothing fails)",
  });
  program = Option.Rest({ name: "-- command" });

  protected run(io: CommandIo): Promise<number> {
    const { runPerf } = require("../actions/perf") as typeof PerfAction;
    const { filter, baselineRef, against, quick, json, reporter, config, program, allowNoContracts } = this;
    return runPerf({ filter, baselineRef, against, quick, json, reporter, config, program, allowNoContracts }, io);
  }
}
