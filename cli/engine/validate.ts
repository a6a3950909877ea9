/**
 * Shape checks for the JSON files the CLI reads back (results, baselines, collected violations, the runtime's
 * report), as valibot schemas like the config's (config/schema.ts). They are written by us, but they are
 * committed, merged, hand-edited and produced by older versions: a bad one must give a message naming the file
 * and the key (`results[0].stats.p50: expected a number, found "fast"`), never a crash deep inside the judge.
 *
 * Each schema's message is the phrase that completes "expected …". A file that passes is returned as it was
 * read (valibot only checks it), so unknown keys from other versions survive a read and a rewrite.
 */
import * as v from "valibot";
import { LATENCY_UNITS, MEMORY_UNITS } from "../../runtime/units";
import type { ContractSummary, PerformanceReport } from "../../runtime/types";
import type { BaselineFile, RunResults } from "./types";

export class ShapeError extends Error {}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing (the key is missing)";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `"${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

export function checkSchemaVersion(value: unknown, kind: string): Json {
  if (!isObject(value)) throw new ShapeError(`${kind}: expected an object, found ${describe(value)}`);
  if (value["schemaVersion"] !== 1) {
    const found = value["schemaVersion"];
    throw new ShapeError(
      typeof found === "number" && found > 1
        ? `schemaVersion ${found} was written by a newer @choragen/perf; upgrade it to read this ${kind}`
        : `schemaVersion: expected 1, found ${describe(found)} (not a ${kind} written by this version of @choragen/perf)`,
    );
  }
  return value;
}

const OBJECT = "an object";
const ARRAY = "an array";
const STRING = "a string";
const NUMBER = "a number";
const BOOLEAN = "true or false";

const object = <E extends v.ObjectEntries>(entries: E) => v.looseObject(entries, OBJECT);
const array = <S extends v.GenericSchema>(item: S) => v.array(item, ARRAY);
const string = v.string(STRING);
const number = v.pipe(v.number(NUMBER), v.finite(NUMBER));
const boolean = v.boolean(BOOLEAN);
const oneOf = <T extends readonly string[]>(options: T) => v.picklist(options, `one of ${options.join(", ")}`);

/**
 * A measured time, ns. Baselines need it above zero: every change is a ratio to it, and a zero or
 * negative baseline would quietly turn regression detection off for the bench.
 */
const time = (positive: boolean) =>
  v.pipe(v.number(NUMBER), v.finite(NUMBER), positive ? v.gtValue(0, "a time in ns above 0") : v.minValue(0, "a time in ns of 0 or more"));

const machine = object({ node: string, cpu: string, cores: number, arch: string, os: string });

const limit = (units: readonly string[]) => object({ max: v.pipe(number, v.gtValue(0, "a number above 0")), unit: oneOf(units) });
const METRICS = ["p50", "p75", "p99", "mean", "heap"] as const;
const budget = v.strictObject(
  {
    p50: v.optional(limit(LATENCY_UNITS)),
    p75: v.optional(limit(LATENCY_UNITS)),
    p99: v.optional(limit(LATENCY_UNITS)),
    mean: v.optional(limit(LATENCY_UNITS)),
    heap: v.optional(limit(MEMORY_UNITS)),
  },
  (issue) => (issue.expected === "never" ? `a budget metric (one of ${METRICS.join(", ")})` : OBJECT),
);

const stats = (baseline: boolean) =>
  object({
    p50: time(baseline),
    p75: time(false),
    p99: time(false),
    max: time(false),
    mean: time(false),
    min: time(baseline),
    samples: v.pipe(number, v.integer("a count"), v.minValue(0, "a count")),
    // Measured stats always keep samples; without them every comparison would read as "unchanged".
    sampleSet: v.pipe(array(time(false)), v.nonEmpty("the kept samples, found an empty list")),
    blocks: v.optional(array(time(false))),
    calibration: v.optional(time(true)),
    heapPerIter: v.optional(number),
  });

const result = (baseline: boolean) =>
  object({
    file: string,
    name: string,
    id: string,
    group: v.optional(string),
    error: v.optional(string),
    timedOut: v.optional(boolean),
    budget: v.optional(budget),
    fileBudget: v.optional(budget),
    stats: v.optional(stats(baseline)),
  });

const fileFailure = object({
  file: string,
  message: string,
  kind: oneOf(["compile", "load", "crash", "timeout"] as const),
  line: v.optional(number),
  column: v.optional(number),
});

/** One violation, as the runtime records it: in results, collected violations and the runtime's report. */
const violation = object({
  contractId: string,
  kind: oneOf(["latency", "memory"] as const),
  target: string,
  file: string,
  line: number,
  measured: number,
  threshold: number,
  unit: oneOf([...LATENCY_UNITS, ...MEMORY_UNITS]),
  timestamp: number,
  percentile: v.optional(number),
});

const roundTime = v.pipe(number, v.gtValue(0, "a time above 0"));
const against = object({
  ref: string,
  commit: string,
  changedLockfiles: v.optional(array(string)),
  removedFiles: array(v.unknown()),
  benches: array(
    v.pipe(
      object({
        file: string,
        id: string,
        fastA: array(roundTime),
        fastB: array(roundTime),
        differences: v.optional(array(number)),
        a: v.optional(object({})),
      }),
      // An A/B run's paired rounds: perf:check judges them again, so the two sides must pair up.
      v.check((b) => b.fastA.length === b.fastB.length, (issue) => {
        const b = issue.input as { fastA: unknown[]; fastB: unknown[] };
        return `as many rounds on each side, found ${b.fastA.length} and ${b.fastB.length}`;
      }),
      // The rounds' measured differences (one process per round, both sides in it) are what perf:check re-judges.
      v.check((b) => b.differences === undefined || b.differences.length === b.fastA.length, (issue) => {
        const b = issue.input as { fastA: unknown[]; differences: unknown[] };
        return `one difference per round (${b.fastA.length}), found ${b.differences.length}`;
      }),
    ),
  ),
});

const runResults = object({
  createdAt: string,
  machine,
  quick: v.optional(boolean),
  filter: v.optional(string),
  commit: v.optional(string),
  results: array(result(false)),
  violations: array(violation),
  fileFailures: array(fileFailure),
  violationsOmitted: v.optional(number),
  violationsOmittedByContract: v.optional(v.record(v.string(), number, OBJECT)),
  against: v.optional(against),
});

const baselineFile = object({ file: string, machine, results: array(result(true)) });

const EXIT_CODE = "a number, or null with the signal that ended the program";
const contractCount = object({ contractId: string, violations: v.pipe(number, v.minValue(0, "a count of 0 or more")) });

/** `.choragen/results/violations.json`: a program run (`choragen perf -- <cmd>`) and what it recorded. */
const collected = object({
  run: v.pipe(
    object({
      argv: array(string),
      exitCode: v.union([number, v.null()], EXIT_CODE),
      signal: v.union([string, v.null()], "a signal name or null"),
      contracts: number,
      violations: number,
      durationMs: number,
      reportWritten: boolean,
    }),
    // null only when a signal ended the program, and then `signal` names it.
    v.check((run) => run.exitCode !== null || run.signal !== null, "a number as exitCode, or null with the signal that ended the program"),
  ),
  contracts: array(contractCount),
  violations: array(violation),
});

/** The report the runtime writes (CHORAGEN_PERF_REPORT): only what the CLI reads of it. */
const runtimeReport = object({ contracts: array(object({ contractId: string })), violations: array(violation) });

/** `a.b[2].c` for an issue's place in the file. */
function keyPath(issue: v.BaseIssue<unknown>): string {
  let out = "";
  for (const item of issue.path ?? []) {
    const key = item.key;
    out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** `where: expected …, found …` for the first problem in the file. */
function problemOf(issue: v.BaseIssue<unknown>, root: string): string {
  const where = keyPath(issue) || root;
  if (issue.type === "strict_object" && issue.expected === "never") return `${where}: unknown key; expected ${issue.message}`;
  if (issue.type === "check") return `${where}: expected ${issue.message}`;
  // A value of the right type out of range reads as itself ("found 0"); anything else is described.
  const found = issue.kind === "validation" && typeof issue.input === "number" ? String(issue.input) : describe(issue.input);
  const message = issue.kind === "validation" && issue.type === "non_empty" ? issue.message : `${issue.message}, found ${found}`;
  return `${where}: expected ${message}`;
}

function check<T>(schema: v.GenericSchema, value: unknown, root: string): T {
  const checked = v.safeParse(schema, value, { abortEarly: true });
  if (!checked.success) throw new ShapeError(problemOf(checked.issues[0], root));
  return value as T;
}

export function checkRunResults(value: unknown): RunResults {
  return check<RunResults>(runResults, checkSchemaVersion(value, "results file"), "results file");
}

export function checkBaselineFile(value: unknown): BaselineFile {
  return check<BaselineFile>(baselineFile, checkSchemaVersion(value, "baseline file"), "baseline file");
}

/** The collected violations file; ShapeError names the key. */
export function checkCollected<T>(value: unknown): T {
  return check<T>(collected, checkSchemaVersion(value, "violations file"), "violations file");
}

/** The runtime's report, as far as the CLI reads it; ShapeError names the key. */
export function checkRuntimeReport(value: unknown): PerformanceReport & { readonly contracts: readonly ContractSummary[] } {
  return check<PerformanceReport>(runtimeReport, value, "report");
}
