// `import perf from "@choragen/perf/esbuild"`: the plugin factory as the default export.
import { perfEsbuildPlugin } from "./esbuild-plugin.js";

/** `perf(options?)`: the @choragen/perf plugin for esbuild. */
const perf = perfEsbuildPlugin;
export default perf;
export type { PerfPluginOptions } from "./file-transform.js";
export type { PerfEsbuildPlugin } from "./esbuild-plugin.js";
