import { buildReport } from "./report";
import { state } from "./state";
import type { PerformanceReport, PerformanceViolation } from "./types";

/** The violations recorded so far in this process (a copy; at most the first 10 000 are stored). */
export function violations(): PerformanceViolation[] {
  return state.violations.slice();
}

/** What was armed and exercised in this process, and what failed. */
export function report(): PerformanceReport {
  return buildReport(state);
}

/** Forgets violations, call statistics and named timers. Contracts stay armed; configuration stays. */
export function reset(): void {
  state.violations = [];
  state.dropped = 0;
  state.journal?.reset();
  state.timers.clear();
  for (const contract of state.contracts) contract.reset();
}
