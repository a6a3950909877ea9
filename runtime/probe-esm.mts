// ESM surface of the probe (what the transformer's emitted `import ... from "@choragen/perf/probe"` loads under
// `import`): bundled as real ESM with the runtime entry by scripts/build-runtime-esm.mjs, sharing its chunk.
export { clock, contract, heap } from "./probe.js";
export type * from "./probe.js";
