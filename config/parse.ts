import * as v from "valibot";
import { formatKeyPath, type PathSegment } from "./key-path";
import { ConfigError, fromIssue, fromSourceProblem, sortProblems } from "./problems";
import { configSchema } from "./schema";
import type { ConfigProblem, PerfConfig, ValueSource } from "./types";
import { readYaml } from "./yaml-source";

export interface ParsedConfig {
  config: PerfConfig;
  /** Key path → whether the file set the value or the default filled it; see `sourcesOf`. */
  sources: Map<string, ValueSource>;
}

/** Parse and validate a config file's text; throws a ConfigError listing every problem in it. */
export function parseConfig(text: string, file: string): PerfConfig {
  return parseConfigWithSources(text, file).config;
}

export function parseConfigWithSources(text: string, file: string): ParsedConfig {
  const source = readYaml(text);
  const problems: ConfigProblem[] = source.problems.map((p) => fromSourceProblem(file, p));
  if (!source.usable) throw new ConfigError(sortProblems(problems));

  const result = v.safeParse(configSchema, source.data ?? {}, { abortEarly: false });
  if (!result.success) {
    const context = { file, placements: source.placements };
    problems.push(...result.issues.map((issue) => fromIssue(context, issue)));
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(sortProblems(problems));
  return { config: deepFreeze(result.output), sources: sourcesOf(result.output, source.data) };
}

/** The configuration of a project without a config file. */
export function defaultConfig(): ParsedConfig {
  return parseConfigWithSources("", "(defaults)");
}

/**
 * Budgets, lists and scalars are reported whole (a budget is one value to a user); sections are walked.
 * An empty record (no overrides) is a value of its own, so `--print-config` can say it is the default.
 */
function isLeaf(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return true;
  return "max" in value || Object.keys(value).length === 0;
}

function sourcesOf(resolved: unknown, raw: unknown): Map<string, ValueSource> {
  const out = new Map<string, ValueSource>();
  const walk = (value: unknown, written: unknown, path: PathSegment[]): void => {
    if (isLeaf(value)) {
      out.set(formatKeyPath(path), written === undefined || written === null ? "default" : "file");
      return;
    }
    for (const [key, sub] of Object.entries(value as Record<string, unknown>)) {
      const writtenSub = typeof written === "object" && written !== null && Object.hasOwn(written, key) ? (written as Record<string, unknown>)[key] : undefined;
      walk(sub, writtenSub, [...path, key]);
    }
  };
  walk(resolved, raw, []);
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const sub of Object.values(value)) deepFreeze(sub);
    Object.freeze(value);
  }
  return value;
}
