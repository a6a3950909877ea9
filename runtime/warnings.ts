import { state } from "./state";

let unprintedHook = false;

/**
 * `warn` mode: true for the first violation of a contract in this realm, which is printed; the rest are
 * counted and said once, as a count, when the realm ends (a test file with a slow helper in a loop would
 * otherwise print a thousand lines).
 */
export function firstWarning(contractId: string, target: string): boolean {
  const seen = state.warned.get(contractId);
  if (seen === undefined) {
    state.warned.set(contractId, { target, unprinted: 0 });
    return true;
  }
  seen.unprinted++;
  if (!unprintedHook && state.journal === undefined) {
    unprintedHook = true;
    process.once("exit", printUnwarned);
  }
  return false;
}

export function printUnwarned(): void {
  for (const entry of state.warned.values()) {
    if (entry.unprinted === 0) continue;
    process.stderr.write(`[choragen/perf] ${entry.unprinted} more violation${entry.unprinted === 1 ? "" : "s"} of ${entry.target} not printed (warn prints the first of each contract per process)\n`);
    entry.unprinted = 0;
  }
}
