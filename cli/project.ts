/**
 * The project a command works on: its root (found from any folder inside it) and its resolved
 * config. The config module pulls in yaml and valibot, so it is loaded only when a command runs,
 * never for `--help`. It is required by file (load, format) rather than through config/index, which
 * also re-exports the JSON Schema generator: that needs @valibot/to-json-schema, a dev dependency
 * absent from a user's install, and would cost start-up time for nothing.
 */
import { relative, resolve, sep } from "node:path";
import type * as ConfigFormat from "../config/format";
import type * as ConfigLoad from "../config/load";
import type { LoadedConfig, PerfConfig } from "../config/types";
import { loadConfigCached } from "./config-cache";

export interface Project {
  readonly root: string;
  readonly config: PerfConfig;
  /** Relative to the root (`/`-separated) for display; null when running on the defaults. */
  readonly configFile: string | null;
  readonly loaded: LoadedConfig;
}

export function loadProject(cwd: string, explicitConfig?: string): Project {
  const load = (): LoadedConfig => {
    const { loadConfig } = require("../config/load") as typeof ConfigLoad;
    return loadConfig({ cwd, ...(explicitConfig !== undefined ? { explicitPath: resolve(cwd, explicitConfig) } : {}) });
  };
  const loaded = loadConfigCached(cwd, explicitConfig, load);
  const configFile = loaded.file === null ? null : relative(loaded.root, loaded.file).split(sep).join("/") || loaded.file;
  return { root: loaded.root, config: loaded.config, configFile, loaded };
}

export function formatProjectConfig(project: Project): string {
  const { formatConfig } = require("../config/format") as typeof ConfigFormat;
  return formatConfig(project.loaded);
}
