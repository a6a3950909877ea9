import type * as v from "valibot";
import { globError } from "./glob";
import { formatKeyPath, pathKey, type PathSegment } from "./key-path";
import { EXPECTED, ON_VIOLATION } from "./schema";
import { everyKey, expectedAt, keysAt } from "./schema-introspect";
import { didYouMean, normalise, orList } from "./suggest";
import type { ConfigProblem } from "./types";
import { isLatencyUnit, isMemoryUnit, suggestUnit } from "./units";
import type { Placement, Position, SourceProblem } from "./yaml-source";

// In their own module (no valibot, no yaml), so the CLI can recognise a ConfigError by its class at start-up.
export { ConfigError, formatProblem, formatProblems } from "./config-error";

export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}

export function fromSourceProblem(file: string, problem: SourceProblem): ConfigProblem {
  return withHint(
    {
      file,
      line: problem.position.line,
      column: problem.position.column,
      path: formatKeyPath(problem.path),
      expected: problem.expected,
      found: problem.found,
      message: problem.message,
    },
    problem.hint,
  );
}

function withHint(problem: ConfigProblem, hint: string | undefined): ConfigProblem {
  if (hint !== undefined) problem.hint = hint;
  return problem;
}

/** How a value the file holds reads in a message: `"sec"`, `-5`, `a list`, `an empty value`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return ".nan";
    if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return Object.keys(value).length === 0 ? "an empty mapping" : "a mapping";
  return typeof value;
}

type Issue = v.BaseIssue<unknown>;

export interface IssueContext {
  file: string;
  placements: ReadonlyMap<string, Placement>;
}

function segmentsOf(issue: Issue): PathSegment[] {
  return (issue.path ?? []).map((item) => (typeof item.key === "number" ? item.key : String(item.key)));
}

/**
 * Where `path` is in the file. Values reached through an alias have no placement of their own: they are
 * reported at the alias (`exact` false), which is the value of their nearest placed ancestor.
 */
function locate(context: IssueContext, path: readonly PathSegment[]): { placement: Placement; exact: boolean } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const placement = context.placements.get(pathKey(path.slice(0, n)));
    if (placement) return { placement, exact: n === path.length };
  }
  return undefined;
}

/** For a key (unknown, or a bad glob): the key itself; through an alias, the alias. */
function keyPosition(context: IssueContext, path: readonly PathSegment[]): Position {
  const found = locate(context, path);
  if (!found) return START;
  return found.exact ? (found.placement.key ?? found.placement.value) : found.placement.value;
}

/** For a value: the value, or its key when it was left empty; through an alias, the alias. */
function valuePosition(context: IssueContext, path: readonly PathSegment[]): Position {
  const found = locate(context, path);
  if (!found) return START;
  const { placement, exact } = found;
  return exact && placement.empty && placement.key ? placement.key : placement.value;
}

const START: Position = { line: 1, column: 1 };

export function fromIssue(context: IssueContext, issue: Issue): ConfigProblem {
  const path = segmentsOf(issue);
  const last = issue.path?.[issue.path.length - 1];
  const make = (position: Position, expected: string, found: string, message: string, hint?: string): ConfigProblem =>
    withHint({ file: context.file, line: position.line, column: position.column, path: formatKeyPath(path), expected, found, message }, hint);

  if (issue.type === "strict_object" && issue.expected === "never") {
    const key = String(last?.key);
    const position = keyPosition(context, path);
    const known = keysAt(path.slice(0, -1));
    const expected = `one of the keys ${known.join(", ")}`;
    return make(position, expected, JSON.stringify(key), `unknown key ${JSON.stringify(key)}; expected ${expected}`, unknownKeyHint(key, path, known));
  }

  if (issue.input === undefined && path.length > 0 && !context.placements.has(pathKey(path))) {
    // The mapping that lacks the key, named by its own key.
    const position = keyPosition(context, path.slice(0, -1));
    const key = String(path[path.length - 1]);
    const expected = expectedAt(path) ?? issue.message;
    return make(position, expected, "nothing (the key is missing)", `missing key ${JSON.stringify(key)}: expected ${expected}`);
  }

  if (last?.origin === "key") {
    const key = String(last.key);
    const position = keyPosition(context, path);
    // Record keys: overrides are globs, bench names must not be empty.
    const reason = key === "" ? undefined : globError(key);
    const expected = issue.message;
    return make(position, expected, JSON.stringify(key), `invalid key: expected ${expected}, found ${JSON.stringify(key)}`, reason);
  }

  const position = valuePosition(context, path);
  const expected = issue.message;
  const found = describeValue(issue.input);
  return make(position, expected, found, `expected ${expected}, found ${found}`, valueHint(path, issue.input, expected));
}

function unknownKeyHint(key: string, path: readonly PathSegment[], known: readonly string[]): string | undefined {
  if (key === "<<") return "merge keys (<<) are not supported; write the keys out, or alias the whole value";
  if (key === "percentile" && path[0] === "benchmarks" && path[1] === "budgets") {
    return "in a bench budget the key (p50, p75, p99, mean) names the statistic; percentile is for contracts";
  }
  const close = didYouMean(key, known);
  if (close.length > 0) return `did you mean ${orList(close)}?`;
  const here = formatKeyPath(path.slice(0, -1));
  const target = everyKey().find((k) => normalise(k.name) === normalise(key));
  if (target && target.path !== (here === "" ? key : `${here}.${key}`)) {
    const parent = target.path.includes(".") ? target.path.slice(0, target.path.lastIndexOf(".")) : "the top level";
    return `${JSON.stringify(target.name)} belongs under ${parent} (${target.path})`;
  }
  return undefined;
}

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;
const NUMBER_WITH_UNIT = /^\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*([A-Za-zµμ]+)\s*$/;

function unitHint(kind: "latency" | "memory", found: string): string | undefined {
  if (kind === "memory" && isLatencyUnit(found)) return `${found} is a latency unit; a memory budget takes B, KB, MB or GB`;
  if (kind === "latency" && isMemoryUnit(found)) return `${found} is a memory unit; a latency budget takes ns, us, ms or s`;
  if (kind === "latency" && /^(m|mins?|minutes?|h|hours?)$/i.test(found)) return "the largest latency unit is s (write 60 s for a minute)";
  const meant = suggestUnit(kind, found);
  if (meant !== undefined && meant !== found) return `did you mean "${meant}"?`;
  return undefined;
}

function valueHint(path: readonly PathSegment[], input: unknown, expected: string): string | undefined {
  const key = path[path.length - 1];
  if (typeof input === "string") {
    if (expected === EXPECTED.glob) return globError(input);
    if (expected === EXPECTED.latencyUnit) return unitHint("latency", input);
    if (expected === EXPECTED.memoryUnit) return unitHint("memory", input);
    if (expected === EXPECTED.onViolation) {
      const close = didYouMean(input, ON_VIOLATION);
      return close.length > 0 ? `did you mean ${orList(close)}?` : undefined;
    }
    if (expected === EXPECTED.boolean && /^(yes|no|on|off|y|n|true|false)$/i.test(input)) return "write true or false (YAML 1.2 booleans, unquoted)";
    if (expected === EXPECTED.globList) return `write a list: [${JSON.stringify(input)}]`;
    const withUnit = NUMBER_WITH_UNIT.exec(input);
    if (withUnit && (expected === EXPECTED.latencyBudget || expected === EXPECTED.memoryBudget)) {
      return `write { max: ${withUnit[1] ?? ""}, unit: ${withUnit[2] ?? ""} }`;
    }
    if (withUnit && key === "max") return `write the unit separately: max: ${withUnit[1] ?? ""} and unit: ${withUnit[2] ?? ""}`;
    if (NUMBER_TEXT.test(input) && /number/.test(expected)) return "numbers are written without quotes";
  }
  if (typeof input === "number") {
    if (expected === EXPECTED.latencyBudget) return `write { max: ${input}, unit: ms }`;
    if (expected === EXPECTED.memoryBudget) return `write { max: ${input}, unit: MB }`;
    if (expected === EXPECTED.branch) return `quote it: "${input}"`;
    if (expected === EXPECTED.max && input <= 0) return "a budget must be greater than 0; to drop a contract, remove its annotation";
  }
  if (expected === EXPECTED.benchBudgetKeys) return "give the bench at least one limit, or remove its entry";
  if (expected === EXPECTED.globList && input !== null && typeof input === "object" && !Array.isArray(input)) {
    return 'write a list: ["benchmarks/**/*.bench.ts"]';
  }
  return undefined;
}
