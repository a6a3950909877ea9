/**
 * The surface the transformer's emitted code calls. Not for hand-written code: its shape may change
 * with the transformer. Emitted code looks like this (latency, per-call):
 *
 *   import { clock as __perf_clock, contract as __perf_contract } from "@choragen/perf/probe";
 *     (CommonJS output: const { clock: __perf_clock, contract: __perf_contract } = require("@choragen/perf/probe");)
 *   const __perf_c_1 = __perf_contract({ id: "a1b2c3d4", kind: "latency", target: "OrderService.placeOrder",
 *     file: "src/order.ts", line: 12, max: 50, unit: "ms", limit: 50, origin: "inline" });
 *   ...
 *   placeOrder(order) {
 *     let __perf_threw = false;
 *     const __perf_t0 = __perf_clock.now();
 *     try { ...original body... }
 *     catch (__perf_error) { __perf_threw = true; throw __perf_error; }
 *     finally { const __perf_d = __perf_clock.now() - __perf_t0; if (__perf_d > 50) __perf_c_1.violate(__perf_d, false, __perf_threw); }
 *   }
 *
 * (`false` is "the body is not async"; `__perf_threw` keeps `throw` mode from replacing the call's own error.)
 * Percentile contracts call `add(elapsedMs, async, threw)` on every call instead. Non-async methods that return a
 * promise, and async ones returning a promise they do not await, hand it to `settle(value, start)`, which
 * measures when it settles and returns it unchanged.
 * Memory contracts read `heap()` before and after and compare the growth in bytes; with a latency contract on the
 * same function they share the try/finally, the heap read outside the clock. `onViolation` is in the spec only
 * when the config file says other than `record`.
 */
import { armCollection } from "./collection";

armCollection();

export { contract, heap } from "./contract";
/** The real clock (node:perf_hooks), which fake timers do not replace: what emitted probes should read. */
export { clock } from "./clock";
export type { Contract, ContractSpec } from "./contract";
