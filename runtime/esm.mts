// The ESM entry re-exports the CommonJS build, so `import` and `require` share one module instance
// (and one collector) instead of loading two copies. Node finds these names with cjs-module-lexer.
export { perf, configure, PerformanceViolationError } from "./index.js";
export type * from "./index.js";
