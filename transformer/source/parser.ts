import type * as ts from "typescript";

/**
 * The parser the source-level core runs on: TypeScript's own (`ts.createSourceFile`), from TypeScript 5 or 6.
 * Why this parser and not oxc-parser: docs/toolchains.md (the measurement). TypeScript 7's npm package has no
 * synchronous JavaScript parser API, so a project on TypeScript 7 gets the parser from the copy this package
 * resolves (see the README's setup table).
 */
export type TypeScriptApi = typeof ts;

let cached: TypeScriptApi | undefined;

/** TypeScript 5/6 as this package resolves it; a clear error when what resolves has no parser API. */
export function loadTypeScript(): TypeScriptApi {
  if (cached) return cached;
  let loaded: Partial<TypeScriptApi> & { version?: string };
  try {
    loaded = require("typescript") as Partial<TypeScriptApi>;
  } catch {
    throw new Error(
      "@choragen/perf: the build plugin parses TypeScript with TypeScript 5 or 6's parser, and \"typescript\" cannot be found. Install it beside @choragen/perf: npm install -D typescript@6",
    );
  }
  if (typeof loaded.createSourceFile !== "function" || typeof loaded.forEachChild !== "function") {
    throw new Error(
      `@choragen/perf: the build plugin parses TypeScript with TypeScript 5 or 6's parser, and the "typescript" it finds (${loaded.version ?? "unknown version"}) has none (TypeScript 7 ships no JavaScript parser API). Install TypeScript 6 for the plugin: npm install -D typescript6@npm:typescript@6 and see the README's setup table.`,
    );
  }
  cached = loaded as TypeScriptApi;
  return cached;
}

/** A parse with parent pointers (the decisions walk up from identifiers to their scopes). */
export function parseSource(tsi: TypeScriptApi, fileName: string, text: string): ts.SourceFile {
  return tsi.createSourceFile(fileName, text, tsi.ScriptTarget.Latest, true, scriptKindOf(tsi, fileName));
}

function scriptKindOf(tsi: TypeScriptApi, fileName: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/i.test(fileName)) return tsi.ScriptKind.TSX;
  if (/\.[cm]?jsx$/i.test(fileName)) return tsi.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(fileName)) return tsi.ScriptKind.JS;
  return tsi.ScriptKind.TS;
}
