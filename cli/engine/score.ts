/**
 * The curves behind the 0–100 score (docs/score.md is the user-facing description; keep them in step).
 * Every function is monotone in the direction "worse input → fewer points left" and deterministic.
 */
import { normalUpperTail } from "./statistics";

/** A measurement at or below this fraction of its budget is "well inside" and scores 100. */
export const WELL_INSIDE_RATIO = 0.5;
/** Log-normal curve parameters: sub-score 80 at the budget, 50 at 1.4× the budget. */
const CURVE_MEDIAN_RATIO = 1.4;
const CURVE_SIGMA = 0.4;

/**
 * Sub-score (0–100) of one budgeted metric from `ratio = measured / budget`, Lighthouse-style:
 * 100 × Q((ln ratio − ln 1.4) / 0.4), clamped to 100 at or below half the budget.
 * ≈ 100 at 0.5×, 91 at 0.8×, 80 at 1×, 50 at 1.4×, 19 at 2×, 3 at 3×.
 */
export function budgetSubScore(ratio: number): number {
  if (!(ratio > WELL_INSIDE_RATIO)) return Number.isNaN(ratio) ? 0 : 100;
  if (!Number.isFinite(ratio)) return 0;
  return Math.min(100, 100 * normalUpperTail((Math.log(ratio) - Math.log(CURVE_MEDIAN_RATIO)) / CURVE_SIGMA));
}

/** Points for a significant regression: 5 + half the percent slowdown, at most 25 (10% → 10, 40% → 25). */
export function regressionPoints(changePct: number): number {
  return Math.min(25, 5 + Math.max(0, changePct) / 2);
}

/** Points per violated contract: 10 for the first violation, +2 per doubling of the count, at most 20. */
export function violationPoints(count: number): number {
  if (count <= 0) return 0;
  return Math.min(20, 10 + 2 * Math.log2(count));
}

/** Points for a benchmark that threw, timed out or could not run, or a bench file that failed. */
export const ERROR_POINTS = 20;

/** Final score from the total deduction: 100 − points, clamped to 0–100 and rounded to an integer. */
export function finalScore(totalPoints: number): number {
  if (Number.isNaN(totalPoints)) return 0;
  return Math.max(0, Math.min(100, Math.round(100 - totalPoints)));
}
