/**
 * How the A/B runner spends its time: rounds of one process per side, the order alternating (A B,
 * B A, A B, …) so that whatever the second process of a round gains or loses (a warmer disk cache,
 * a neighbour that started meanwhile) falls on each side equally often and cancels in the interval.
 */

/** Fewer rounds cannot give a 95% signed-rank interval at all (2 / 2⁵ > 5%). */
export const AB_MIN_ROUNDS = 6;
/**
 * The round cap when the interval still straddles the threshold. 16 rounds of one short process per
 * side cost about what today's two-process run with a third process costs twice: the goal's budget.
 */
export const AB_MAX_ROUNDS = 16;

export type Side = "A" | "B";

/** The order of the two processes in round `round` (0-based): A first in even rounds. */
export function roundOrder(round: number): readonly [Side, Side] {
  return round % 2 === 0 ? ["A", "B"] : ["B", "A"];
}
