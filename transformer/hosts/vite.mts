// `import perf from "@choragen/perf/vite"`: the plugin factory as the default export.
import { createVitePlugin } from "unplugin";
import { perfUnplugin } from "./unplugin.js";

/** `perf(options?)`: the @choragen/perf plugin for Vite. */
const perf = createVitePlugin(perfUnplugin);
export default perf;
export type { PerfPluginOptions } from "./unplugin.js";
