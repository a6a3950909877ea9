/**
 * The surface the transformer's emitted code calls. Not for hand-written code: its shape may change
 * with the transformer. Emitted code looks like this (latency, per-call):
 *
 *   import * as __perf from "@choragen/perf/probe";
 *   const __perf_c1 = __perf.contract({ id: "a1b2c3d4", kind: "latency", target: "OrderService.placeOrder",
 *     file: "src/order.ts", line: 12, max: 50, unit: "ms", limit: 50, origin: "inline" });
 *   ...
 *   const __perf_clock = globalThis.performance;
 *   ...
 *   placeOrder(order) {
 *     const __perf_t0 = __perf_clock.now();
 *     let __perf_threw = false;
 *     try { ...original body... }
 *     catch (e) { __perf_threw = true; throw e; }
 *     finally { const __perf_d = __perf_clock.now() - __perf_t0; if (__perf_d > 50) __perf_c1.violate(__perf_d, false, __perf_threw); }
 *   }
 *
 * (`false` is "the body is not async"; `__perf_threw` keeps `throw` mode from replacing the call's own error.)
 * Percentile contracts call `add(elapsedMs, async, threw)` on every call instead. Non-async methods that return a
 * promise, and async ones returning a promise they do not await, hand it to `settle(value, start)`, which
 * measures when it settles and returns it unchanged.
 * Memory contracts read `heap()` before and after and compare the growth in bytes.
 */
import { armCollection } from "./collection";

armCollection();

export { contract, heap } from "./contract";
/** The real clock (node:perf_hooks), which fake timers do not replace: what emitted probes should read. */
export { clock } from "./clock";
export type { Contract, ContractSpec } from "./contract";
