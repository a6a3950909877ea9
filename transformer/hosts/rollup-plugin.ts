import type { SourceMap } from "magic-string" with { "resolution-mode": "import" };
import { createFileTransform, createIdFilter, NODE_MODULES, RUNTIME_MARKER, TYPESCRIPT_FILES, transformInHost, type PerfPluginOptions, type TransformContext } from "./file-transform";

export type { TransformContext } from "./file-transform";

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
        return transformInHost(this, transform, code, id);
      },
    },
  };
}
