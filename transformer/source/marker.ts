/**
 * The text every way of reaching the annotations contains: files without it are not parsed at all. A module of
 * its own so the build plugins can filter files without loading the core (decide, emit, magic-string, the
 * config loader, TypeScript): a build whose files never mention the package pays for none of it.
 */
export const RUNTIME_MARKER = "@choragen/perf";
