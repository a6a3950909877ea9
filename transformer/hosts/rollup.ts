// `require("@choragen/perf/rollup")`: the plugin factory itself (CommonJS callers get the function, not a namespace).
import { perfUnplugin } from "./unplugin";

const unplugin = require("unplugin") as typeof import("unplugin", { with: { "resolution-mode": "import" } });

/** `perf(options?)`: the @choragen/perf plugin for Rollup. */
const perf = unplugin.createRollupPlugin(perfUnplugin);
export = perf;
