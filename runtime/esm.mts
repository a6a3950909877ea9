// The ESM surface of the runtime. tsc writes its declarations (esm.d.mts); the code the package exports for
// `import` is this file bundled as real ESM by scripts/build-runtime-esm.mjs (dist/runtime/esm/index.mjs), so
// an ESM bundle of an application has no require() to trip on. It is a second copy of the runtime beside
// the CommonJS one: both keep their contracts, violations and journal in the one process-wide state
// (runtime/state.ts, globalThis[Symbol.for("@choragen/perf")]), so a program that loads both has one registry.
export { perf, configure, PerformanceViolationError } from "./index.js";
export type * from "./index.js";
