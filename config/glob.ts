import picomatch from "picomatch";

/**
 * Options shared by validation and matching, so a glob that validates is exactly the glob that matches.
 * `strictBrackets` turns an unbalanced `[`, `{` or `(` into an error instead of a literal character
 * (a silent literal would make the override never match). `dot` lets `**` cross `.folders`.
 */
const OPTIONS: picomatch.PicomatchOptions = { dot: true, strictBrackets: true };

/** Characters a backslash may escape; anything else after `\` is a Windows path separator by mistake. */
const ESCAPABLE = new Set([..."*?[]{}()!@+|,\\.-^$/ "]);

/** Why `pattern` is not a usable glob, or undefined when it is. */
export function globError(pattern: string): string | undefined {
  if (pattern.trim() === "") return "a glob cannot be empty";
  if (pattern.startsWith("/")) return "globs are relative to the project root; remove the leading /";
  // A leading `!` negates in picomatch: as an override or include it would match nearly everything.
  if (pattern.startsWith("!") && !pattern.startsWith("!(")) return "negated globs (a leading !) are not supported here";
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== "\\") continue;
    const next = pattern[i + 1];
    if (next === undefined || !ESCAPABLE.has(next)) return "use / as the path separator (a backslash escapes a glob character)";
    i++;
  }
  try {
    picomatch(pattern, OPTIONS);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return undefined;
}

export function isValidGlob(pattern: string): boolean {
  return globError(pattern) === undefined;
}

export function compileGlob(pattern: string): (text: string) => boolean {
  return picomatch(pattern, OPTIONS);
}

export interface GlobSpecificity {
  /** No glob syntax at all: the pattern names exactly one file or one function. */
  readonly exact: boolean;
  /** Characters matched literally (escaped characters count, glob syntax does not). */
  readonly literals: number;
  /** `*` and `?` count one each (so `**` counts two); a `[...]` class, a `{...}` alternation and an
   *  extglob `!(...)` / `@(...)` / `+(...)` / `*(...)` / `?(...)` count one each as a whole. */
  readonly wildcards: number;
}

/** Index just past the group opened at `start` (by `open`), honouring nesting and escapes. */
function skipGroup(pattern: string, start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return i + 1;
  }
  return pattern.length;
}

export function globSpecificity(pattern: string): GlobSpecificity {
  let literals = 0;
  let wildcards = 0;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] ?? "";
    const next = pattern[i + 1];
    if (c === "\\") {
      literals++;
      i += 2;
    } else if ("!@+*?".includes(c) && next === "(") {
      wildcards++;
      i = skipGroup(pattern, i + 1, "(", ")");
    } else if (c === "*" || c === "?") {
      wildcards++;
      i++;
    } else if (c === "[") {
      wildcards++;
      i = skipGroup(pattern, i, "[", "]");
    } else if (c === "{") {
      wildcards++;
      i = skipGroup(pattern, i, "{", "}");
    } else {
      literals++;
      i++;
    }
  }
  return { exact: wildcards === 0, literals, wildcards };
}
