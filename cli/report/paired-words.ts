/**
 * The words of a side-by-side run (`--against`): its warnings, its regressions and why sampling stopped, from the
 * facts the A/B comparison returns (cli/engine/ab/compare.ts). words.ts gives them to every report.
 */
import { AB_BUDGET_FACTOR, AB_MAX_ROUNDS } from "../engine/ab/schedule";
import type { AbStopReason, PairedChange, PairedRegression, PairedWarning } from "../engine/types";
import { formatChangePct, formatNs } from "./units";

/** "+10.2% [+8.9%, +11.6%], 95.1% interval over 12 rounds". */
function changeWithInterval(c: PairedChange): string {
  return `${formatChangePct(c.changePct)} [${formatChangePct(c.lowPct)}, ${formatChangePct(c.highPct)}], ${Math.round(c.confidence * 1000) / 10}% interval over ${c.rounds} round${c.rounds === 1 ? "" : "s"}`;
}

/** A regression on the paired rounds, without the "regression: " the verdict's words open it with. */
export function pairedRegressionText(r: PairedRegression): string {
  return `${r.id}: ${formatNs(r.refMin)} at ${r.ref} (${r.commit.slice(0, 12)}) → ${formatNs(r.currentMin)} now (fastest); change ${changeWithInterval(r.change)}, all above the ${r.thresholdPct}% threshold`;
}

/** Why a dependency change is not part of an A/B comparison. */
export function dependencyNote(ref: string, lockfiles: readonly string[]): string {
  return `${lockfiles.join(", ")} differ${lockfiles.length === 1 ? "s" : ""} from ${ref}: both sides ran with the project's node_modules, so a dependency change is not part of the comparison`;
}

export function pairedWarningText(w: PairedWarning): string {
  switch (w.kind) {
    case "paired-dependencies":
      return dependencyNote(w.ref, w.lockfiles);
    case "paired-not-measured-at-ref":
      return `${w.id} (${w.file}): not compared with ${w.ref}: it could not be measured there (${(w.error ?? "no measurement").split("\n", 1)[0]})`;
    case "paired-unsettled":
      return `${w.id}: unchanged against ${w.ref} only in that the change ${changeWithInterval(w.change)} is not clear of the ${w.thresholdPct}% threshold: ${w.why === "too-few-rounds" ? "too few rounds for an interval" : "the machine was too noisy to tell a change of that size"}`;
    case "paired-bench-removed":
      return `${w.id} (${w.file}): removed since ${w.ref} (it exists there only): not compared`;
    case "paired-file-removed":
      return `${w.file}: bench file removed since ${w.ref}: not compared`;
  }
}

const STOPS: Readonly<Record<AbStopReason, string>> = {
  settled: "stopped early: the interval was clear of the threshold",
  "time-cap": `stopped at the time budget (${AB_BUDGET_FACTOR}× today's perf:bench measuring time) with the interval still across the threshold`,
  "round-cap": `stopped at the cap of ${AB_MAX_ROUNDS} rounds with the interval still across the threshold`,
  failed: "stopped: the bench failed on one side",
  "one-side": "measured on one side only",
};

/** Why the A/B runner stopped sampling a bench. */
export function stopText(stop: AbStopReason): string {
  return STOPS[stop];
}
