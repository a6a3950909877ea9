// `import perf from "@choragen/perf/rollup"`: the plugin factory as the default export.
import { createRollupPlugin } from "unplugin";
import { perfUnplugin } from "./unplugin.js";

/** `perf(options?)`: the @choragen/perf plugin for Rollup. */
const perf = createRollupPlugin(perfUnplugin);
export default perf;
export type { PerfPluginOptions } from "./unplugin.js";
