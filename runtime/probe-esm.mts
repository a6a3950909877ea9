// ESM entry of the probe surface: the CommonJS build re-exported, sharing its collector.
export { clock, contract, heap } from "./probe.js";
export type * from "./probe.js";
