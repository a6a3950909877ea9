import * as fs from "node:fs";
import * as path from "node:path";

export const CONFIG_DIR = ".choragen";
export const CONFIG_FILE_NAME = "performance.yaml";
/** Where the config lives, relative to the project root. */
export const CONFIG_RELATIVE_PATH = `${CONFIG_DIR}/${CONFIG_FILE_NAME}`;

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** `fromDir` and each of its ancestors, nearest first, ending at the filesystem root. */
function* ancestors(fromDir: string): Generator<string> {
  let dir = path.resolve(fromDir);
  for (;;) {
    yield dir;
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/** The nearest `.choragen/performance.yaml` at or above `fromDir`, as an absolute path; null when none. */
export function findConfigFile(fromDir: string): string | null {
  for (const dir of ancestors(fromDir)) {
    const candidate = path.join(dir, CONFIG_DIR, CONFIG_FILE_NAME);
    if (isFile(candidate)) return candidate;
  }
  return null;
}

/**
 * The project root: the nearest folder at or above `fromDir` holding a `.choragen/` folder; failing that,
 * the nearest holding a package.json; failing that, `fromDir` itself. Absolute.
 */
export function findProjectRoot(fromDir: string): string {
  for (const dir of ancestors(fromDir)) {
    if (isDirectory(path.join(dir, CONFIG_DIR))) return dir;
  }
  for (const dir of ancestors(fromDir)) {
    if (isFile(path.join(dir, "package.json"))) return dir;
  }
  return path.resolve(fromDir);
}
