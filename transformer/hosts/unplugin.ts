import type { UnpluginFactory, UnpluginOptions } from "unplugin" with { "resolution-mode": "import" };
import { createFileTransform, NODE_MODULES, RUNTIME_MARKER, TYPESCRIPT_FILES, type HostMessage, type PerfPluginOptions } from "./file-transform";

export type { PerfPluginOptions } from "./file-transform";

const log = (m: HostMessage): { message: string; id: string; loc: { file: string; line: number; column: number } } => ({ message: m.message, id: m.file, loc: { file: m.file, line: m.line, column: m.column } });

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
        let result;
        try {
          result = transform(code, id);
        } catch (error) {
          // A bad performance.yaml or mode: the build stops with the message that names the file, line and key.
          if (error instanceof Error) this.error(error.message);
          throw error;
        }
        if (result === undefined) return null;
        for (const warning of result.warnings) this.warn(log(warning));
        if (result.error !== undefined) this.error(log(result.error));
        return result.code === undefined ? null : { code: result.code, map: result.map };
      },
    },
  };
  return plugin;
};
