// `import perf from "@choragen/perf/rolldown"`: the plugin factory as the default export.
import { createRolldownPlugin } from "unplugin";
import { perfUnplugin } from "./unplugin.js";

/** `perf(options?)`: the @choragen/perf plugin for Rolldown. */
const perf = createRolldownPlugin(perfUnplugin);
export default perf;
export type { PerfPluginOptions } from "./unplugin.js";
