import type { FilterPattern } from "unplugin" with { "resolution-mode": "import" };
import type { SourceMap } from "magic-string" with { "resolution-mode": "import" };
import * as path from "node:path";
import type { TransformMode } from "../mode";
import type * as Source from "../source";
import type { SourceDiagnostic } from "../source";
import { RUNTIME_MARKER } from "../source/marker";

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

export const TYPESCRIPT_FILES = /\.[cm]?tsx?(?:$|\?)/;
export const NODE_MODULES = /[\\/]node_modules[\\/]/;
export { RUNTIME_MARKER };

/** One diagnostic, formatted as the ts-patch host prints it, with where it is for the bundler's own message. */
export interface HostMessage {
  readonly message: string;
  readonly file: string;
  readonly line: number;
  /** 0-based, as bundlers count. */
  readonly column: number;
}

export interface FileTransformResult {
  /** The edited TypeScript, or undefined when the file needs no change. */
  readonly code: string | undefined;
  readonly map: SourceMap | undefined;
  readonly warnings: readonly HostMessage[];
  /** Misuses: the host fails the build with them (one message holds them all). */
  readonly error: HostMessage | undefined;
}

/**
 * What every host does with one module: nothing unless the text mentions the package; otherwise the source core
 * (transformer/source), loaded at the first such file, not with the plugin. A build whose files never mention
 * @choragen/perf loads none of it: not the core, not magic-string, not the config loader, not TypeScript
 * (docs/toolchains.md, "Cost of the plugin"). Returns data; each host reports it through its own API.
 */
export function createFileTransform(options: PerfPluginOptions): (code: string, id: string) => FileTransformResult | undefined {
  let core: Source.SourceTransformer | undefined;
  let format: typeof Source.formatSourceDiagnostics | undefined;
  return (code, id) => {
    if (!code.includes(RUNTIME_MARKER)) return undefined;
    if (core === undefined) {
      // A bad performance.yaml or mode throws here, with the message that names the file, line and key.
      const source = require("../source") as typeof Source;
      core = new source.SourceTransformer({ ...(options.mode ? { mode: options.mode } : {}), ...(options.config ? { config: options.config } : {}) });
      format = source.formatSourceDiagnostics;
    }
    const fileName = id.replace(/\?.*$/, "");
    const result = core.transform(code, fileName);
    const message = (diagnostics: readonly SourceDiagnostic[]): HostMessage => ({
      message: (format as typeof Source.formatSourceDiagnostics)(diagnostics),
      file: fileName,
      line: diagnostics[0]!.line,
      column: diagnostics[0]!.column - 1,
    });
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    return {
      code: result.code,
      map: result.map,
      warnings: result.diagnostics.filter((d) => d.severity === "warning").map((d) => message([d])),
      error: errors.length > 0 ? message(errors) : undefined,
    };
  };
}

/**
 * `include`/`exclude` as unplugin and Rollup read them: a RegExp tests the id (backslashes as slashes); a string is
 * a picomatch glob, relative to the working directory unless absolute or starting with `**`. Defaults: TypeScript
 * files, nothing under node_modules. picomatch is loaded only when a glob is given.
 */
export function createIdFilter(options: PerfPluginOptions): (id: string) => boolean {
  const include = toMatchers(options.include ?? TYPESCRIPT_FILES);
  const exclude = toMatchers(options.exclude ?? NODE_MODULES);
  return (id) => {
    const normalized = id.replace(/\\/g, "/");
    if (exclude.some((match) => match(normalized))) return false;
    return include.length === 0 || include.some((match) => match(normalized));
  };
}

function toMatchers(pattern: FilterPattern): ((id: string) => boolean)[] {
  const list: readonly (string | RegExp)[] = pattern === null || pattern === undefined ? [] : Array.isArray(pattern) ? pattern : [pattern as string | RegExp];
  return list.map((p) => {
    if (p instanceof RegExp) {
      return (id: string) => {
        const hit = p.test(id);
        p.lastIndex = 0;
        return hit;
      };
    }
    const picomatch = require("picomatch") as typeof import("picomatch");
    const glob = p.startsWith("**") || /^(?:\/|(?:[A-Z]:)?[/\\|])/i.test(p) ? p.replace(/\\/g, "/") : `${path.resolve(process.cwd()).replace(/\\/g, "/").replace(/[\\^$*+?.()|[\]{}]/g, "\\$&")}/${p.replace(/\\/g, "/").replace(/^\.\//, "")}`;
    const match = picomatch(glob, { dot: true });
    return (id: string) => match(id);
  });
}

/** A bundler's message with its place, in the shape Rollup, Rolldown, Vite and unplugin contexts accept. */
export interface BuildLog {
  readonly message: string;
  readonly id: string;
  readonly loc: { readonly file: string; readonly line: number; readonly column: number };
}

/** What a transform hook uses of its host's context: Rollup's, Rolldown's, Vite's and unplugin's all fit. */
export interface TransformContext {
  warn(log: BuildLog): void;
  error(log: string | BuildLog): void;
}

const buildLog = (m: HostMessage): BuildLog => ({ message: m.message, id: m.file, loc: { file: m.file, line: m.line, column: m.column } });

/**
 * One module through the transform, reported through the host's context: warnings as warnings, misuse and a bad
 * performance.yaml or mode as the build's error (the message names the file, line and key). The one transform
 * hook body of every Rollup-shaped host.
 */
export function transformInHost(
  context: TransformContext,
  transform: (code: string, id: string) => FileTransformResult | undefined,
  code: string,
  id: string,
): { code: string; map: SourceMap | undefined } | null {
  let result;
  try {
    result = transform(code, id);
  } catch (error) {
    if (error instanceof Error) context.error(error.message);
    throw error;
  }
  if (result === undefined) return null;
  for (const warning of result.warnings) context.warn(buildLog(warning));
  if (result.error !== undefined) context.error(buildLog(result.error));
  return result.code === undefined ? null : { code: result.code, map: result.map };
}
