import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_DIR, CONFIG_FILE_NAME, findConfigFile, findProjectRoot } from "./find";
import { defaultConfig, parseConfigWithSources } from "./parse";
import { ConfigError } from "./problems";
import type { LoadedConfig } from "./types";
import { MAX_FILE_BYTES } from "./yaml-source";

export interface LoadConfigOptions {
  /** Where to start looking (the working directory). */
  cwd: string;
  /** A config file named on the command line or in the transformer options; relative to `cwd`. It wins over the search. */
  explicitPath?: string;
}

/**
 * The configuration in effect for `cwd`: the explicit file if given, else the nearest
 * `.choragen/performance.yaml` above `cwd`, else the defaults. Throws a ConfigError for a file that is
 * missing (when explicit), unreadable or invalid.
 */
export function loadConfig(opts: LoadConfigOptions): LoadedConfig {
  const cwd = path.resolve(opts.cwd);
  const file = opts.explicitPath !== undefined ? path.resolve(cwd, opts.explicitPath) : findConfigFile(cwd);
  if (file === null) {
    const root = findProjectRoot(cwd);
    rejectMisnamedConfig(root);
    const { config, sources } = defaultConfig();
    return { config, file: null, root, sources };
  }
  const text = readConfigText(file);
  const { config, sources } = parseConfigWithSources(text, file);
  return { config, file, root: rootFor(file, cwd), sources };
}

/** `<root>/.choragen/performance.yaml` → `<root>`; a file kept elsewhere belongs to the project around `cwd`. */
function rootFor(file: string, cwd: string): string {
  const dir = path.dirname(file);
  if (path.basename(dir) === CONFIG_DIR) return path.dirname(dir);
  return findProjectRoot(cwd);
}

function fileProblem(file: string, expected: string, found: string, message: string, hint?: string): ConfigError {
  const problem = { file, line: 0, column: 0, path: "", expected, found, message };
  return new ConfigError([hint === undefined ? problem : { ...problem, hint }]);
}

function readConfigText(file: string): string {
  try {
    const bytes = fs.readFileSync(file);
    // Sized and checked as bytes: decoding first would turn each invalid byte into a 3-byte U+FFFD and
    // both misreport the size and call a binary file "too large".
    if (bytes.length > MAX_FILE_BYTES) {
      const problem = {
        file,
        line: 1,
        column: 1,
        path: "",
        expected: `a file of at most ${MAX_FILE_BYTES} bytes`,
        found: `${bytes.length} bytes`,
        message: `the file is too large to be a configuration (${bytes.length} bytes)`,
      };
      return throwError(new ConfigError([problem]));
    }
    const bad = firstInvalidUtf8(bytes);
    if (bad !== -1) {
      const before = bytes.subarray(0, bad);
      const line = before.filter((b) => b === 0x0a).length + 1;
      const column = bad - (before.lastIndexOf(0x0a) + 1) + 1;
      const problem = {
        file,
        line,
        column,
        path: "",
        expected: "UTF-8 text",
        found: `the byte 0x${bytes[bad]!.toString(16).padStart(2, "0")} at offset ${bad}`,
        message: `the file is not valid UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, "0")} at offset ${bad}); save it as UTF-8`,
      };
      return throwError(new ConfigError([problem]));
    }
    const text = bytes.toString("utf8");
    // A byte-order mark some Windows editors add is not part of the YAML.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return throwError(fileProblem(file, "an existing file", "no such file", "config file not found"));
    if (code === "EISDIR") return throwError(fileProblem(file, "a file", "a directory", "the config path is a directory, not a file"));
    const reason = error instanceof Error ? error.message : String(error);
    return throwError(fileProblem(file, "a readable file", reason, `cannot read the config file: ${reason}`));
  }
}

function throwError(error: ConfigError): never {
  throw error;
}

/** Running on defaults while the user's config sits next door under another name would be a silent surprise. */
function rejectMisnamedConfig(root: string): void {
  for (const name of ["performance.yml", "performance.YAML", "perf.yaml", "performance.json"]) {
    const candidate = path.join(root, CONFIG_DIR, name);
    if (fs.existsSync(candidate)) {
      throw fileProblem(
        candidate,
        `${CONFIG_DIR}/${CONFIG_FILE_NAME}`,
        `${CONFIG_DIR}/${name}`,
        `the config file must be named ${CONFIG_FILE_NAME}`,
        `rename it to ${CONFIG_DIR}/${CONFIG_FILE_NAME}`,
      );
    }
  }
}

/** Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= bytes.length) return i; // cut off at the end of the file
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
