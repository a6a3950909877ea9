import * as fs from "node:fs";
import * as path from "node:path";
import picomatch from "picomatch";
import { toPosixRelative } from "./paths";

/** Folders never searched for bench files: dependencies, VCS data, build output, our own cache. */
const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist", ".choragen", ".hg", ".svn", "coverage"]);

/**
 * Bench files under `root` matching any `include` glob and no `exclude` glob (globs over
 * `/`-separated paths relative to the root), sorted so runs are reproducible.
 */
export function discoverBenchFiles(
  root: string,
  include: readonly string[],
  exclude: readonly string[] = [],
  /** Called for a symbolic link whose path matches: it is not run (see runner.ts), but not ignored in silence either. */
  onSymlink: (relative: string) => void = () => {},
): string[] {
  if (include.length === 0) return [];
  const isIncluded = picomatch([...include], { dot: false });
  const isExcluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (isExcluded(toPosixRelative(root, full) + "/")) continue;
        walk(full);
      } else if (entry.isFile()) {
        const rel = toPosixRelative(root, full);
        if (isIncluded(rel) && !isExcluded(rel)) found.push(rel);
      } else if (entry.isSymbolicLink()) {
        const rel = toPosixRelative(root, full);
        if (isIncluded(rel) && !isExcluded(rel)) onSymlink(rel);
      }
    }
  };
  walk(root);
  return found.sort();
}
