// `import perf from "@choragen/perf/webpack"`: the plugin factory as the default export.
import { createWebpackPlugin } from "unplugin";
import { perfUnplugin } from "./unplugin.js";

/** `perf(options?)`: the @choragen/perf plugin for Webpack. */
const perf = createWebpackPlugin(perfUnplugin);
export default perf;
export type { PerfPluginOptions } from "./unplugin.js";
