/**
 * A cache of the resolved config, so `perf:check` (a CI gate that runs often and should start fast)
 * skips yaml and valibot, the largest part of its start-up, when the config file has not changed.
 *
 * An entry is used only when the file's full text is identical to the text it was made from and the
 * config module is the same build (version and file stamps), so the cache can never disagree with
 * what the parser would say. An invalid config is never cached: its errors always come from the
 * parser. Anything unusual (no file, a file outside `.choragen/`, an unreadable cache) goes the slow way.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type * as ConfigFind from "../config/find";
import { deepFreeze } from "../config/freeze";
import { writeFileAtomic } from "../runtime/atomic-write";
import type { LoadedConfig, PerfConfig, ValueSource } from "../config/types";
import { packageVersion } from "./version";

interface CacheEntry {
  readonly schemaVersion: 1;
  readonly stamp: string;
  readonly file: string;
  readonly root: string;
  readonly text: string;
  readonly config: PerfConfig;
  readonly sources: readonly (readonly [string, ValueSource])[];
}

/**
 * Changes whenever the code that resolves a config is rebuilt or upgraded: the newest modification time of the
 * compiled config/ and runtime/ modules (the schema takes its defaults and units from runtime/), not a list of
 * files to keep up to date by hand. About 50 stat calls, a few milliseconds on a loaded machine, against the ~0.5 s the
 * cache saves (yaml, valibot and the schema not loaded; see the measurement in this module's commit).
 */
function moduleStamp(): string | undefined {
  let newest = 0;
  for (const dir of [join(__dirname, "..", "config"), join(__dirname, "..", "runtime")]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return undefined;
    }
    for (const name of names) {
      if (!name.endsWith(".js")) continue;
      try {
        newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
      } catch {
        return undefined;
      }
    }
  }
  return `${packageVersion()}|${newest}`;
}

export function cachePath(root: string): string {
  return join(root, ".choragen", "cache", "config.json");
}

export function loadConfigCached(cwd: string, explicitPath: string | undefined, load: () => LoadedConfig): LoadedConfig {
  const { findConfigFile } = require("../config/find") as typeof ConfigFind;
  const file = explicitPath !== undefined ? resolve(cwd, explicitPath) : findConfigFile(cwd);
  if (file === null || basename(dirname(file)) !== ".choragen") return load();
  const root = dirname(dirname(file));
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return load(); // the loader reports it properly
  }
  const stamp = moduleStamp();
  if (stamp === undefined) return load(); // cannot tell whether a cache is current: go the slow way
  const cacheFile = cachePath(root);
  try {
    const entry = JSON.parse(readFileSync(cacheFile, "utf8")) as CacheEntry;
    if (entry.schemaVersion === 1 && entry.stamp === stamp && entry.file === file && entry.root === root && entry.text === text) {
      return { config: deepFreeze(entry.config), file, root, sources: new Map(entry.sources) };
    }
  } catch {
    // No cache yet, or a broken one: rebuild it below.
  }
  const loaded = load();
  if (loaded.file === file && loaded.root === root) {
    const entry: CacheEntry = { schemaVersion: 1, stamp, file, root, text, config: loaded.config, sources: [...loaded.sources] };
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      writeFileAtomic(cacheFile, JSON.stringify(entry));
    } catch {
      // A read-only checkout still works, only slower.
    }
  }
  return loaded;
}
