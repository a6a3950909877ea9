import type { SourceMap } from "magic-string" with { "resolution-mode": "import" };
import { createFileTransform, createIdFilter, NODE_MODULES, RUNTIME_MARKER, TYPESCRIPT_FILES, type HostMessage, type PerfPluginOptions } from "./file-transform";

/** What the plugin uses of the context Vite, Rollup and Rolldown give a transform hook. */
export interface TransformContext {
  warn(log: { message: string; id: string; loc: { file: string; line: number; column: number } }): void;
  error(log: string | { message: string; id: string; loc: { file: string; line: number; column: number } }): never;
}

/** A plugin in the shape Vite, Rollup and Rolldown read natively. */
export interface PerfRollupPlugin {
  readonly name: "@choragen/perf";
  /** Vite: before its own TypeScript handling (Oxc, esbuild), so decorators are gone before they see them. */
  readonly enforce: "pre";
  readonly transform: {
    /** Hook filter (Rollup ≥ 4.38, Rolldown, Vite ≥ 6.3): files without the marker never reach JavaScript. */
    readonly filter: { readonly id?: { readonly include: RegExp; readonly exclude: RegExp }; readonly code: string };
    handler(this: TransformContext, code: string, id: string): { code: string; map: SourceMap | undefined } | null;
  };
}

const log = (m: HostMessage): { message: string; id: string; loc: { file: string; line: number; column: number } } => ({ message: m.message, id: m.file, loc: { file: m.file, line: m.line, column: m.column } });

/**
 * `perf(options?)` for Vite (and Vitest), Rollup and Rolldown, written against their common plugin interface
 * rather than through unplugin: loading unplugin cost every build ≈ 70 ms of CPU, including builds whose files
 * never mention the package (docs/toolchains.md, "Cost of the plugin"). The filter is also checked in the
 * handler, for a host that ignores hook filters.
 */
export function perfRollupPlugin(options: PerfPluginOptions = {}): PerfRollupPlugin {
  const transform = createFileTransform(options);
  const accepts = createIdFilter(options);
  const defaults = options.include === undefined && options.exclude === undefined;
  return {
    name: "@choragen/perf",
    enforce: "pre",
    transform: {
      filter: { ...(defaults ? { id: { include: TYPESCRIPT_FILES, exclude: NODE_MODULES } } : {}), code: RUNTIME_MARKER },
      handler(code, id) {
        if (!accepts(id)) return null;
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
}
