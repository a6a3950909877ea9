// `require("@choragen/perf/vite")`: the plugin factory itself (CommonJS callers get the function, not a namespace).
import { perfRollupPlugin } from "./rollup-plugin";

/** `perf(options?)`: the @choragen/perf plugin for Vite (and Vitest). */
const perf = perfRollupPlugin;
export = perf;
