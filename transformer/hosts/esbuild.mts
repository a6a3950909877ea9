// `import perf from "@choragen/perf/esbuild"`: the plugin factory as the default export.
import { createEsbuildPlugin } from "unplugin";
import { perfUnplugin } from "./unplugin.js";

/** `perf(options?)`: the @choragen/perf plugin for Esbuild. */
const perf = createEsbuildPlugin(perfUnplugin);
export default perf;
export type { PerfPluginOptions } from "./unplugin.js";
