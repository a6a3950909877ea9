import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_DIR, CONFIG_FILE_NAME, findConfigFile, findProjectRoot } from "./find";
import { defaultConfig, parseConfigWithSources } from "./parse";
import { ConfigError } from "./problems";
import type { LoadedConfig } from "./types";

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
    const text = fs.readFileSync(file, "utf8");
    // A byte-order mark some Windows editors add is not part of the YAML.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
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
