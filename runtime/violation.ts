import { firstWarning } from "./warnings";
import { state, storeViolation } from "./state";
import type { OnViolation, PerformanceViolation } from "./types";
import { formatAmount } from "./units";

class PerformanceViolationErrorImpl extends Error {
  readonly violation: PerformanceViolation;

  constructor(violation: PerformanceViolation) {
    super(describeViolation(violation));
    this.name = "PerformanceViolationError";
    this.violation = violation;
  }
}
// The public name on the class and its prototype, not only on the instance: an engine may write the stack's
// header ("PerformanceViolationError: …") while `super()` runs, and Node labels an uncaught error with its
// class's name, which would otherwise print as "PerformanceViolationErrorImpl".
Object.defineProperty(PerformanceViolationErrorImpl, "name", { value: "PerformanceViolationError", configurable: true });
Object.defineProperty(PerformanceViolationErrorImpl.prototype, "name", {
  value: "PerformanceViolationError",
  writable: true,
  configurable: true,
});

/**
 * The outermost runtime function on the stack when a violation is judged (a contract's `violate`, `add`
 * or `settle`, a runtime wrapper, `perf.assertLatency`): a thrown violation's stack starts below it, at
 * the user's code.
 */
export type StackEntry = (...args: never[]) => unknown;

/**
 * Thrown in `throw` mode after the call that broke its budget completed. One class per process (the
 * first copy of the package to load provides it), so `instanceof` holds whichever copy threw.
 */
export const PerformanceViolationError: typeof PerformanceViolationErrorImpl =
  (state.errorClass as typeof PerformanceViolationErrorImpl | undefined) ??
  (state.errorClass = PerformanceViolationErrorImpl) as typeof PerformanceViolationErrorImpl;
export type PerformanceViolationError = PerformanceViolationErrorImpl;

/** `OrderService.placeOrder took 73.2 ms > 50 ms (src/order.ts:12)` */
export function describeViolation(v: PerformanceViolation): string {
  const measured = `${formatAmount(v.measured)} ${v.unit}`;
  const budget = `${formatAmount(v.threshold)} ${v.unit}`;
  let what: string;
  if (v.percentile !== undefined) {
    const samples = v.context.samples === undefined ? "" : ` over ${v.context.samples} calls`;
    what = `${v.target} p${v.percentile} is ${measured} > ${budget}${samples}`;
  } else if (v.kind === "memory") {
    what = `${v.target} grew the heap by ${measured} > ${budget}`;
  } else {
    what = `${v.target} took ${measured} > ${budget}`;
  }
  const where = v.file ? ` (${v.file}${v.line > 0 ? `:${v.line}` : ""})` : "";
  return `${what}${where}`;
}

/**
 * Stores the violation and reacts. `canThrow` is false where an exception cannot reach the caller
 * (a promise that settled after the call returned) or must not replace the call's own error: there
 * `throw` degrades to `warn`, so the violation is still loud. A thrown error's stack leaves out `entry`
 * and every runtime frame above it.
 */
export function react(
  violation: PerformanceViolation,
  configured: OnViolation | undefined,
  canThrow: boolean,
  entry: StackEntry = react,
): void {
  storeViolation(violation);
  const mode = state.envOnViolation ?? configured ?? state.defaults.onViolation ?? "record";
  if (mode === "record") return;
  if (mode === "throw" && canThrow) {
    const error = new PerformanceViolationError(violation);
    // Only on this path: recapture the stack without the runtime's own frames (react, emit, judge, …).
    Error.captureStackTrace(error, entry);
    throw error;
  }
  if (firstWarning(violation.contractId, violation.target)) {
    process.stderr.write(`[choragen/perf] ${violation.kind} violation: ${describeViolation(violation)}\n`);
  }
}
