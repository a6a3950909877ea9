/** Option definitions used by more than one command, so their flags and help text stay identical. */
import { Option } from "clipanion";
import { REPORTERS } from "../report/names";

export const configOption = (): string | undefined =>
  Option.String("--config", { description: "Use this config file instead of the project's .choragen/performance.yaml" });

export const reporterOption = (): string | undefined =>
  Option.String("--reporter", { description: `Report format: ${REPORTERS.join(", ")} (default: pretty)` });

export const baselineRefOption = (): string | undefined =>
  Option.String("--baseline-ref", {
    description: "Compare with the baselines committed on this git ref (default: benchmarks.baselineBranch); `.` for the working tree",
  });

export const againstOption = (): string | undefined =>
  Option.String("--against", {
    description:
      "Measure the code of this git ref side by side with the working tree, in the same run, and judge the change on the paired data (default: benchmarks.against)",
  });

export const filterOption = (): string | undefined =>
  Option.String("--filter", { description: "Only run benches whose id (`group/name` or `name`) matches this regular expression" });

export const quickOption = (): boolean =>
  Option.Boolean("--quick", false, { description: "Few samples, short runs: a smoke test, not a measurement to keep" });

export const jsonOption = (): string | undefined =>
  Option.String("--json", { description: "Also write the full report as JSON to this file" });
