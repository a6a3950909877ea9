import type { UnpluginFactory, UnpluginOptions } from "unplugin" with { "resolution-mode": "import" };
import { createFileTransform, NODE_MODULES, RUNTIME_MARKER, TYPESCRIPT_FILES, transformInHost, type PerfPluginOptions } from "./file-transform";

export type { PerfPluginOptions } from "./file-transform";


/**
 * The webpack and Rspack hosts, through unplugin (their loader plumbing is what unplugin is good at). Vite, Rollup,
 * Rolldown and esbuild have adapters of their own (rollup-plugin.ts, esbuild-plugin.ts): on those the cost of
 * loading unplugin was measured against builds whose files never mention the package (docs/toolchains.md).
 * Runs before the bundler's own TypeScript handling (`enforce: "pre"`); files that never mention
 * "@choragen/perf" are filtered out by the host where it can (code filter), else after one substring test.
 */
export const perfUnplugin: UnpluginFactory<PerfPluginOptions | undefined, false> = (options = {}) => {
  const transform = createFileTransform(options);
  const plugin: UnpluginOptions = {
    name: "@choragen/perf",
    enforce: "pre",
    transform: {
      filter: {
        id: { include: options.include ?? TYPESCRIPT_FILES, exclude: options.exclude ?? NODE_MODULES },
        code: RUNTIME_MARKER,
      },
      handler(code, id) {
        return transformInHost(this, transform, code, id);
      },
    },
  };
  return plugin;
};
