import * as v from "valibot";
import { deepFreeze } from "./freeze";
import { formatKeyPath, pathKey, type PathSegment } from "./key-path";
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

  problems.push(...reservedNames(file, source.data, source.placements));
  const result = v.safeParse(configSchema, source.data ?? {}, { abortEarly: false });
  if (!result.success) {
    const context = { file, placements: source.placements };
    problems.push(...result.issues.map((issue) => fromIssue(context, issue)));
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(sortProblems(problems));
  return { config: deepFreeze(result.output), sources: sourcesOf(result.output, source.data) };
}

const RESERVED_NAMES = new Set(["constructor", "prototype", "__proto__"]);
const NAMED_RECORDS: readonly PathSegment[][] = [
  ["benchmarks", "budgets"],
  ["contracts", "latency", "overrides"],
  ["contracts", "memory", "overrides"],
];

/**
 * valibot's records skip these keys (its guard against prototype pollution), so a budget for a bench named
 * "constructor" would vanish without a word: say so instead.
 */
function reservedNames(file: string, data: unknown, placements: ReturnType<typeof readYaml>["placements"]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const recordPath of NAMED_RECORDS) {
    let value: unknown = data;
    for (const segment of recordPath) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[segment as string] : undefined;
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    for (const key of Object.keys(value)) {
      if (!RESERVED_NAMES.has(key)) continue;
      const path = [...recordPath, key];
      const placement = placements.get(pathKey(path));
      const at = placement?.key ?? placement?.value ?? { line: 1, column: 1 };
      problems.push({
        file,
        line: at.line,
        column: at.column,
        path: formatKeyPath(path),
        expected: "a name other than constructor, prototype or __proto__",
        found: JSON.stringify(key),
        message: `"${key}" cannot be used as a name here (it is reserved to keep configs from changing object prototypes); rename the bench or glob`,
      });
    }
  }
  return problems;
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
