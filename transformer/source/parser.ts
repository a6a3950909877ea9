import type * as ts from "typescript";

/**
 * The parser the source-level core runs on: TypeScript's own (`ts.createSourceFile`), from TypeScript 5 or 6.
 * Why this parser and not oxc-parser: docs/toolchains.md (the measurement). TypeScript 7's npm package has no
 * synchronous JavaScript parser API, so a project on TypeScript 7 gets the parser from the copy this package
 * resolves (see the README's setup table).
 */
export type TypeScriptApi = typeof ts;

/**
 * Where the parser may come from, in order: the project's own `typescript` when it is 5 or 6, else a
 * `typescript6` (an npm alias of TypeScript 6: `"typescript6": "npm:typescript@^6"`), which is how a
 * TypeScript 7 project, or one without TypeScript, gives the hosts a parser.
 */
export const PARSER_PACKAGES = ["typescript", "typescript6"] as const;

let cached: TypeScriptApi | undefined;

/** `id` as the project (the working directory) resolves it, else as this package does. */
function fromProjectOrPackage(id: string): unknown {
  let resolved: string;
  try {
    resolved = require.resolve(id, { paths: [process.cwd()] });
  } catch {
    resolved = require.resolve(id);
  }
  return require(resolved);
}

/** TypeScript 5/6 with its JavaScript API; a clear error naming what was found when there is none. */
export function loadTypeScript(load: (id: string) => unknown = fromProjectOrPackage): TypeScriptApi {
  if (cached && load === fromProjectOrPackage) return cached;
  const found: string[] = [];
  for (const id of PARSER_PACKAGES) {
    let loaded: (Partial<TypeScriptApi> & { version?: string }) | undefined;
    try {
      loaded = load(id) as Partial<TypeScriptApi>;
    } catch {
      continue;
    }
    if (typeof loaded.createSourceFile === "function" && typeof loaded.forEachChild === "function") {
      if (load === fromProjectOrPackage) cached = loaded as TypeScriptApi;
      return loaded as TypeScriptApi;
    }
    found.push(`"${id}" is ${loaded.version ?? "an unknown version"}, which has no JavaScript parser API`);
  }
  throw new Error(
    `@choragen/perf: the build plugins parse TypeScript with TypeScript 5 or 6's parser; ${found.length > 0 ? found.join("; ") : "\"typescript\" cannot be found"}. ` +
      `A TypeScript 7 project adds it under another name: npm install -D typescript6@npm:typescript@^6`,
  );
}
/**
 * A parse without JSDoc (nothing here reads it; about 20% cheaper, TypeScript 5.3+, older ones ignore the option)
 * and with parent pointers set by one plain recursion: TypeScript's own `setParentNodes` walks with a work
 * queue and cost as much as the parse itself on the 500-file benchmark.
 */
export function parseSource(tsi: TypeScriptApi, fileName: string, text: string): ts.SourceFile {
  const options: ts.CreateSourceFileOptions = { languageVersion: tsi.ScriptTarget.Latest, jsDocParsingMode: tsi.JSDocParsingMode?.ParseNone };
  const sourceFile = tsi.createSourceFile(fileName, text, options, false, scriptKindOf(tsi, fileName));
  const setParents = (node: ts.Node): void => {
    tsi.forEachChild(node, (child) => {
      (child as { parent: ts.Node }).parent = node;
      setParents(child);
    });
  };
  setParents(sourceFile);
  return sourceFile;
}

function scriptKindOf(tsi: TypeScriptApi, fileName: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/i.test(fileName)) return tsi.ScriptKind.TSX;
  if (/\.[cm]?jsx$/i.test(fileName)) return tsi.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(fileName)) return tsi.ScriptKind.JS;
  return tsi.ScriptKind.TS;
}
