// `require("@choragen/perf/esbuild")`: the plugin factory itself (CommonJS callers get the function, not a namespace).
import { perfEsbuildPlugin } from "./esbuild-plugin";

/** `perf(options?)`: the @choragen/perf plugin for esbuild. */
const perf = perfEsbuildPlugin;
export = perf;
