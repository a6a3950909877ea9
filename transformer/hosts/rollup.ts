// `require("@choragen/perf/rollup")`: the plugin factory itself (CommonJS callers get the function, not a namespace).
import { perfRollupPlugin } from "./rollup-plugin";

/** `perf(options?)`: the @choragen/perf plugin for Rollup. */
const perf = perfRollupPlugin;
export = perf;
