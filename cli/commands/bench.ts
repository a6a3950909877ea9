import { Command, Option } from "clipanion";
import type * as BenchAction from "../actions/bench";
import type { CommandIo } from "../io";
import { ChoragenCommand } from "./base";
import { againstOption, baselineRefOption, configOption, filterOption, jsonOption, quickOption, reporterOption } from "./options";

export class BenchCommand extends ChoragenCommand {
  static override paths = [["perf:bench"]];

  static override usage = Command.Usage({
    category: "Performance",
    description: "run the benchmarks and compare them with the baseline",
    details: `
      Finds the bench files (\`benchmarks.include\` in the config), compiles them with contracts armed and runs each file with mitata in two processes of its own, whose samples are pooled. While it runs, a line per bench shows its median and p99; then a table gives each bench's p50, p99, heap per iteration, the change against the baseline with its significance, the budget verdict and its spread (min, p50, p99, max) on a shared log scale.

      A bench is a regression when its fastest time is more than \`benchmarks.regressionThreshold\` percent slower than the baseline's, a Mann–Whitney test on its fastest samples says the difference is significant, and a calibration workload timed alongside does not explain it; a bench that looks like one is measured in a third process before the verdict. \`--save-baseline\` measures every bench in three processes. The command exits with 1 when a budget, a regression or the score fails, and 2 on a usage or configuration error.

      With \`--against <ref>\` (or \`benchmarks.against\` in the config) no stored baseline is used: the code of the ref is checked out in a git worktree under \`.choragen/cache/ab/\` (with the project's node_modules), both sides are compiled the same way and measured in the same run, one short process per side in alternating order, round after round; each bench is judged on the paired rounds: a regression when the 95% interval of the change lies above the threshold, an improvement when below minus it. A bench stops being measured as soon as its interval is clear of the threshold, else after 16 rounds. Uncommitted changes are part of the working-tree side.

      The results are kept in \`.choragen/results/latest.json\` for \`choragen perf:check\`. With \`--save-baseline\` they also become the baseline (\`.choragen/baselines/\`, one JSON file per bench file, to commit).
    `,
    examples: [
      ["Run every benchmark", "$0 perf:bench"],
      ["Run the parser benches only, quickly", "$0 perf:bench --filter '^parse' --quick"],
      ["Record new baselines (then commit .choragen/baselines/)", "$0 perf:bench --save-baseline"],
      ["Compare with the baselines committed on a release tag", "$0 perf:bench --baseline-ref v1.4.0"],
      ["Measure the pull request against its base, side by side", "$0 perf:bench --against origin/main"],
      ["Keep a JSON copy of the report for later tooling", "$0 perf:bench --json perf-report.json"],
    ],
  });

  filter = filterOption();
  saveBaseline = Option.Boolean("--save-baseline", false, { description: "Save the results as the new baselines in .choragen/baselines/" });
  baselineRef = baselineRefOption();
  against = againstOption();
  quick = quickOption();
  json = jsonOption();
  reporter = reporterOption();
  config = configOption();

  protected run(io: CommandIo): Promise<number> {
    const { runBench } = require("../actions/bench") as typeof BenchAction;
    const { filter, saveBaseline, baselineRef, against, quick, json, reporter, config } = this;
    return runBench({ filter, saveBaseline, baselineRef, against, quick, json, reporter, config }, io);
  }
}
