// `import perf from "@choragen/perf/vite"`: the plugin factory as the default export.
import { perfRollupPlugin } from "./rollup-plugin.js";

/** `perf(options?)`: the @choragen/perf plugin for Vite (and Vitest). */
const perf = perfRollupPlugin;
export default perf;
export type { PerfPluginOptions } from "./file-transform.js";
export type { PerfRollupPlugin } from "./rollup-plugin.js";
