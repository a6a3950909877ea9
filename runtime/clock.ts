/**
 * The clock every runtime measurement reads: `performance` from node:perf_hooks, the object the global
 * names in Node.js, taken from the module because a test runner's fake timers (Jest's
 * `fakeTimers.enableGlobally`, Vitest's `vi.useFakeTimers({ toFake: ["performance"] })`) replace the
 * global, and a frozen clock would pass every budget.
 */
import { performance } from "node:perf_hooks";

export const clock: { now(): number } = performance;
