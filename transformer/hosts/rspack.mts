// `import perf from "@choragen/perf/rspack"`: the plugin factory as the default export.
import { createRspackPlugin } from "unplugin";
import { perfUnplugin } from "./unplugin.js";

/** `perf(options?)`: the @choragen/perf plugin for Rspack. */
const perf = createRspackPlugin(perfUnplugin);
export default perf;
export type { PerfPluginOptions } from "./unplugin.js";
