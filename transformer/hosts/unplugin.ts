import type { UnpluginFactory, UnpluginOptions, FilterPattern } from "unplugin" with { "resolution-mode": "import" };
import type { TransformMode } from "../mode";
import { RUNTIME_MARKER, SourceTransformer, formatSourceDiagnostics } from "../source";

/** The options of every bundler plugin: `perf(options?)`. */
export interface PerfPluginOptions {
  /** Default: env CHORAGEN_PERF_MODE, else `strip` when NODE_ENV=production, else `instrument`. */
  readonly mode?: TransformMode;
  /** Path to performance.yaml, relative to the working directory; default: found by walking up from it. */
  readonly config?: string;
  /** Module ids to transform; default: TypeScript files (.ts .tsx .mts .cts). */
  readonly include?: FilterPattern;
  /** Module ids to leave alone; default: anything under node_modules. */
  readonly exclude?: FilterPattern;
}

const TYPESCRIPT_FILES = /\.[cm]?tsx?(?:$|\?)/;
const NODE_MODULES = /[\\/]node_modules[\\/]/;

/**
 * One unplugin for every bundler: runs before the bundler's own TypeScript handling (`enforce: "pre"`), so
 * the annotations are inlined or gone before Oxc, esbuild or SWC see a decorator. Files that never mention
 * "@choragen/perf" are filtered out by the host itself where it can (code filter), and otherwise returned
 * untouched after one substring test.
 */
export const perfUnplugin: UnpluginFactory<PerfPluginOptions | undefined, false> = (options = {}) => {
  let core: SourceTransformer | undefined;
  const plugin: UnpluginOptions = {
    name: "@choragen/perf",
    enforce: "pre",
    transform: {
      filter: {
        id: { include: options.include ?? TYPESCRIPT_FILES, exclude: options.exclude ?? NODE_MODULES },
        code: RUNTIME_MARKER,
      },
      handler(code, id) {
        if (!code.includes(RUNTIME_MARKER)) return null;
        try {
          core ??= new SourceTransformer({ ...(options.mode ? { mode: options.mode } : {}), ...(options.config ? { config: options.config } : {}) });
        } catch (error) {
          // A bad performance.yaml or mode: the build stops with the message that names the file, line and key.
          if (error instanceof Error) this.error(error.message);
          throw error;
        }
        const fileName = id.replace(/\?.*$/, "");
        const result = core.transform(code, fileName);
        for (const warning of result.diagnostics.filter((d) => d.severity === "warning")) {
          this.warn({ message: formatSourceDiagnostics([warning]), id: fileName, loc: { file: fileName, line: warning.line, column: warning.column - 1 } });
        }
        const errors = result.diagnostics.filter((d) => d.severity === "error");
        if (errors.length > 0) {
          const first = errors[0]!;
          this.error({ message: formatSourceDiagnostics(errors), id: fileName, loc: { file: fileName, line: first.line, column: first.column - 1 } });
        }
        if (result.code === undefined) return null;
        return { code: result.code, map: result.map };
      },
    },
  };
  return plugin;
};
