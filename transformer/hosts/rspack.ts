// `require("@choragen/perf/rspack")`: the plugin factory itself (CommonJS callers get the function, not a namespace).
import { perfUnplugin } from "./unplugin";

const unplugin = require("unplugin") as typeof import("unplugin", { with: { "resolution-mode": "import" } });

/** `perf(options?)`: the @choragen/perf plugin for Rspack. */
const perf = unplugin.createRspackPlugin(perfUnplugin);
export = perf;
