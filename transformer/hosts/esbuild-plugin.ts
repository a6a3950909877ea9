import { readFileSync } from "node:fs";
import * as path from "node:path";
import { createFileTransform, createIdFilter, TYPESCRIPT_FILES, type HostMessage, type PerfPluginOptions } from "./file-transform";

/** What the plugin uses of esbuild's plugin API (esbuild is the user's, any version with onLoad). */
export interface EsbuildPluginBuild {
  onLoad(
    options: { filter: RegExp },
    callback: (args: { path: string; namespace: string; suffix?: string }) => EsbuildLoadResult | undefined,
  ): void;
}

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number };
}

export interface EsbuildLoadResult {
  contents?: string;
  loader?: "ts" | "tsx" | "js" | "jsx";
  resolveDir?: string;
  errors?: EsbuildMessage[];
  warnings?: EsbuildMessage[];
}

export interface PerfEsbuildPlugin {
  readonly name: "@choragen/perf";
  setup(build: EsbuildPluginBuild): void;
}

const message = (m: HostMessage): EsbuildMessage => ({ text: m.message, location: { file: m.file, line: m.line, column: m.column } });

/**
 * `perf(options?)` for esbuild, on its own plugin API rather than through unplugin: esbuild calls an onLoad
 * callback in JavaScript for every file its (Go) filter matches, and unplugin's adapter matched every file and read
 * each one asynchronously; with the plugin loaded too, ≈ 220 ms of CPU on the 500-file project whose files never
 * mention the package, against ≈ 50 ms here (docs/toolchains.md). A file the plugin does not change is left to
 * esbuild to read (the callback returns nothing).
 */
export function perfEsbuildPlugin(options: PerfPluginOptions = {}): PerfEsbuildPlugin {
  const transform = createFileTransform(options);
  const accepts = createIdFilter(options);
  return {
    name: "@choragen/perf",
    setup(build) {
      build.onLoad({ filter: options.include === undefined ? TYPESCRIPT_FILES : /.*/ }, (args) => {
        if (args.namespace !== "file" || !accepts(args.path + (args.suffix ?? ""))) return undefined;
        let code: string;
        try {
          code = readFileSync(args.path, "utf8");
        } catch {
          return undefined; // esbuild reports a missing file itself
        }
        let result;
        try {
          result = transform(code, args.path);
        } catch (error) {
          // A bad performance.yaml or mode: the message names the file, line and key.
          if (error instanceof Error) return { errors: [{ text: error.message, location: { file: args.path, line: 1, column: 0 } }] };
          throw error;
        }
        if (result === undefined) return undefined;
        const warnings = result.warnings.map(message);
        if (result.error !== undefined) return { errors: [message(result.error)], warnings };
        if (result.code === undefined) return warnings.length > 0 ? { contents: code, loader: loaderOf(args.path), resolveDir: path.dirname(args.path), warnings } : undefined;
        // The edit's map goes inline: esbuild chains it with its own when the build writes source maps.
        const contents = result.map === undefined ? result.code : `${result.code}\n//# sourceMappingURL=${result.map.toUrl()}`;
        return { contents, loader: loaderOf(args.path), resolveDir: path.dirname(args.path), warnings };
      });
    },
  };
}

/** As esbuild would pick it by extension (an `include` may bring in JavaScript). */
function loaderOf(file: string): "ts" | "tsx" | "js" | "jsx" {
  const ext = /\.[cm]?([jt]sx?)$/i.exec(file)?.[1]?.toLowerCase();
  return ext === "tsx" || ext === "js" || ext === "jsx" ? ext : "ts";
}
