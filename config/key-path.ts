export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * `contracts.latency.overrides."api/*".max`, `benchmarks.include[0]`: identifiers bare, everything else
 * JSON-quoted so the path can be read back unambiguously (and pasted into a search).
 */
export function formatKeyPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += out === "" ? JSON.stringify(segment) : `.${JSON.stringify(segment)}`;
  }
  return out;
}

/** A stable map key for a path (segments may contain dots, so joining would be ambiguous). */
export function pathKey(segments: readonly PathSegment[]): string {
  return JSON.stringify(segments);
}
