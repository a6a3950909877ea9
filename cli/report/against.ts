/** What every reporter says about a side-by-side run (`--against`): the change with its interval, and both sides. */
import type { Comparison } from "../engine/types";
import type { AgainstRow, AgainstSummary, SideSummary } from "./model";
import { formatNs, formatP, formatPct } from "./units";

/** The change of a bench: with its interval when measured side by side, else with the rank test's p. */
export function changeText(c: Comparison): string {
  if (c.paired !== undefined) {
    const interval = c.changeCi === undefined ? "[too few rounds]" : `[${formatPct(c.changeCi[0])}, ${formatPct(c.changeCi[1])}]`;
    return `${formatPct(c.changePct)} ${interval}`;
  }
  if (c.changeCi !== undefined && c.ciConfidence !== undefined) {
    return `${formatPct(c.changePct)} [${formatPct(c.changeCi[0])}, ${formatPct(c.changeCi[1])}]${c.pValue === undefined ? "" : ` ${formatP(c.pValue)}`}`;
  }
  return c.pValue === undefined ? formatPct(c.changePct) : `${formatPct(c.changePct)} ${formatP(c.pValue)}`;
}

/** "against main (1a2b3c4d5e6f)". */
export function againstTitle(summary: AgainstSummary): string {
  return `against ${summary.ref} (${summary.commit.slice(0, 12)})`;
}

/** One line under the table: where the ref's code came from and what the run cost. */
export function againstFacts(summary: AgainstSummary): string {
  return `${summary.processes} processes in ${(summary.wallMs / 1000).toFixed(1)} s · worktree ${summary.worktree} · dependencies: ${summary.dependencies}`;
}

export const AGAINST_HEADERS = (ref: string): string[] => ["bench", `${ref}: fastest`, "median", "spread", "now: fastest", "median", "spread", "rounds", "stopped"];

function side(s: SideSummary | undefined): string[] {
  if (s === undefined) return ["–", "–", "–"];
  return [formatNs(s.fastest), formatNs(s.median), s.processes > 1 ? `${s.spreadPct.toFixed(1)}%` : "–"];
}

/** Cells of AGAINST_HEADERS for one bench. */
export function againstCells(row: AgainstRow): string[] {
  const where = row.sides === "A" ? "removed" : row.sides === "B" ? "new" : String(row.rounds);
  return [row.id, ...side(row.a), ...side(row.b), where, row.sides === "both" ? row.stopText : "–"];
}
