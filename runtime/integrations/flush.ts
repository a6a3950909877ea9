import type { SharedState } from "../state";

/**
 * Writes this realm's snapshot now, if the runtime was loaded here and a run is being collected. Reads the
 * shared state directly, so a setup file does not load the runtime into a test file that never used it.
 */
export function flushRealm(): void {
  const state = (globalThis as unknown as Record<symbol, SharedState | undefined>)[Symbol.for("@choragen/perf")];
  state?.journal?.flush();
}
