import { getHeapStatistics } from "node:v8";

/**
 * Bytes in use by this isolate: the V8 heap plus external memory (ArrayBuffer/Buffer backing stores),
 * so a call that allocates an 8 MB Buffer shows 8 MB of growth, not a few hundred bytes.
 *
 * Measured with mitata (test/fixtures/runtime/measure-heap-readings.mjs, node 20.20, AMD EPYC 2.4 GHz):
 *   process.memoryUsage().heapUsed           12.96 µs  (also reads RSS from the OS)
 *   process.memoryUsage.rss()                11.80 µs  (not the heap)
 *   v8.getHeapSpaceStatistics() summed        1.99 µs
 *   v8.getHeapStatistics().used_heap_size      347 ns
 *   v8 used_heap_size + external_memory        326 ns  <- this one, same call
 *   performance.now(), for reference            73 ns
 * Accuracy, growth seen around known allocations: 100k small objects ≈ 4.9 MB with either heap reading;
 * an 8 MB Buffer: 560 B in used_heap_size, 8 389 200 B with external_memory added.
 * process.binding("v8") would avoid the statistics object but prints a deprecation warning.
 *
 * Caveats: a reading allocates its statistics object (~650 B between two back-to-back readings while
 * interpreted, 0 B once optimised, when V8 elides the object), so budgets well above 1 KB are
 * meaningful; a garbage collection during the call makes the growth smaller, even negative.
 */
export function heap(): number {
  const stats = getHeapStatistics();
  return stats.used_heap_size + stats.external_memory;
}
