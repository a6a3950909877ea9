/**
 * How the A/B runner spends its time. Each round is one process holding both sides (child.ts,
 * side-by-side mode), measuring every bench still undecided in block pairs A B, B A, … a few
 * milliseconds apart; which side is loaded and warmed first alternates from round to round. Rounds go
 * on until each bench's interval is clear of the threshold, or the time budget is spent.
 *
 * The budget is set against what today's `perf:bench` spends on the same benches, counted in nominal
 * measuring time (the children's own time settings), not wall time: a wall-time budget would cut the
 * side-by-side run short exactly when the machine is busy, which is when it needs its rounds, while
 * today's run under the same load slows down as much. The evaluation (npm run eval:ab) measures the
 * real wall-time ratio.
 */

/** Fewer rounds cannot give a 95% signed-rank interval at all (2 / 2⁵ > 5%). */
export const AB_MIN_ROUNDS = 6;
/** Rounds beyond this are not run even with budget left: the interval then narrows only as 1/√n. */
export const AB_MAX_ROUNDS = 40;

/** One process's measuring of one bench, per side: warmup, then alternating samples (ab/interleave.ts). */
export const AB_WARMUP_NS = 40e6;
export const AB_MEASURE_NS = 40e6;

/**
 * Today's standard perf:bench per bench, from child.ts's settings: 2 processes × (100 ms warmup +
 * 4 blocks × (80.25 ms × 1.1 (mitata's allowance for heap readings) + 10 ms calibration)).
 */
export const TODAY_NS_PER_BENCH = 2 * (100e6 + 4 * ((642e6 / 8) * 1.1 + 10e6));
/** What starting a bench process costs beyond its measuring (node, the compiled files, mitata), nominal. */
export const PROCESS_START_NS = 150e6;
/** Today's perf:bench starts two processes per bench file. */
export const TODAY_PROCESSES_PER_FILE = 2;

/**
 * What the paired rounds may spend, as a multiple of today's nominal measuring time; what only the A/B
 * run does comes on top (the worktree, compiling the ref's side, the working tree's own process for
 * its violations and heap figures). 1.6 was measured at 0.96× today's wall time (eval:ab, 70 comparisons per
 * variant), with 4 of the 13 missed 5% slowdowns cut short by the budget: 2.6 pays for 14 rounds of a
 * 7-bench file instead of 9, about 1.5× today's wall time when no bench settles early.
 */
export const AB_BUDGET_FACTOR = 2.6;

export function pairedRoundNs(benches: number): number {
  return PROCESS_START_NS + benches * 2 * (AB_WARMUP_NS + AB_MEASURE_NS);
}

/** The paired rounds' budget for a bench file of `benches` benches, nominal ns. */
export function budgetNs(benches: number): number {
  return AB_BUDGET_FACTOR * (TODAY_PROCESSES_PER_FILE * PROCESS_START_NS + benches * TODAY_NS_PER_BENCH);
}

export type Side = "A" | "B";

/** Which side is loaded and warmed first in round `round` (0-based): A in even rounds. */
export function firstSide(round: number): Side {
  return round % 2 === 0 ? "A" : "B";
}

/** Rounds the budget pays for when all of a file's `benches` stay undecided (benches that settle free budget for the rest). */
export function roundsInBudget(benches: number): number {
  return Math.max(AB_MIN_ROUNDS, Math.min(AB_MAX_ROUNDS, Math.floor(budgetNs(benches) / pairedRoundNs(benches))));
}
