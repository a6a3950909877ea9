/**
 * Shape checks for the JSON files the engine reads back (results, baselines). They are written by us,
 * but they are committed, merged, hand-edited and produced by older versions: a bad one must give a
 * message naming the file and the field, never a crash deep inside the judge.
 */
import { LATENCY_UNITS, MEMORY_UNITS } from "../../runtime/units";
import type { BaselineFile, BenchResult, MachineFingerprint, RunResults } from "./types";

export class ShapeError extends Error {}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function expectObject(value: unknown, where: string): Json {
  if (!isObject(value)) throw new ShapeError(`${where}: expected an object, found ${describe(value)}`);
  return value;
}

function expectArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${where}: expected an array, found ${describe(value)}`);
  return value;
}

function expectString(value: unknown, where: string): string {
  if (typeof value !== "string") throw new ShapeError(`${where}: expected a string, found ${describe(value)}`);
  return value;
}

function expectNumber(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ShapeError(`${where}: expected a number, found ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing (the key is missing)";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `"${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

export function checkSchemaVersion(value: unknown, kind: string): Json {
  const obj = expectObject(value, kind);
  if (obj["schemaVersion"] !== 1) {
    const found = obj["schemaVersion"];
    throw new ShapeError(
      typeof found === "number" && found > 1
        ? `schemaVersion ${found} was written by a newer @choragen/perf; upgrade it to read this ${kind}`
        : `schemaVersion: expected 1, found ${describe(found)} (not a ${kind} written by this version of @choragen/perf)`,
    );
  }
  return obj;
}

function checkMachine(value: unknown, where: string): MachineFingerprint {
  const m = expectObject(value, where);
  expectString(m["node"], `${where}.node`);
  expectString(m["cpu"], `${where}.cpu`);
  expectNumber(m["cores"], `${where}.cores`);
  expectString(m["arch"], `${where}.arch`);
  expectString(m["os"], `${where}.os`);
  return m as unknown as MachineFingerprint;
}

/**
 * A measured time, ns. Baselines need it above zero: every change is a ratio to it, and a zero or
 * negative baseline would quietly turn regression detection off for the bench.
 */
function expectTime(value: unknown, where: string, positive: boolean): number {
  const n = expectNumber(value, where);
  if (positive ? !(n > 0) : n < 0) throw new ShapeError(`${where}: expected a time in ns ${positive ? "above 0" : "of 0 or more"}, found ${n}`);
  return n;
}

function optional(value: unknown, check: (v: unknown) => unknown): void {
  if (value !== undefined) check(value);
}

function expectOneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new ShapeError(`${where}: expected one of ${allowed.join(", ")}, found ${describe(value)}`);
  }
  return value as T;
}


function checkBudget(value: unknown, where: string): void {
  const b = expectObject(value, where);
  for (const [key, limit] of Object.entries(b)) {
    const units = key === "heap" ? MEMORY_UNITS : ["p50", "p75", "p99", "mean"].includes(key) ? LATENCY_UNITS : undefined;
    if (units === undefined) throw new ShapeError(`${where}.${key}: unknown budget metric; expected one of p50, p75, p99, mean, heap`);
    const l = expectObject(limit, `${where}.${key}`);
    const max = expectNumber(l["max"], `${where}.${key}.max`);
    if (!(max > 0)) throw new ShapeError(`${where}.${key}.max: expected a number above 0, found ${max}`);
    expectOneOf(l["unit"], units, `${where}.${key}.unit`);
  }
}

function checkResult(value: unknown, where: string, baseline: boolean): BenchResult {
  const r = expectObject(value, where);
  expectString(r["file"], `${where}.file`);
  expectString(r["name"], `${where}.name`);
  expectString(r["id"], `${where}.id`);
  optional(r["group"], (v) => expectString(v, `${where}.group`));
  optional(r["error"], (v) => expectString(v, `${where}.error`));
  optional(r["timedOut"], (v) => expectBoolean(v, `${where}.timedOut`));
  optional(r["budget"], (v) => checkBudget(v, `${where}.budget`));
  optional(r["fileBudget"], (v) => checkBudget(v, `${where}.fileBudget`));
  if (r["stats"] !== undefined) {
    const s = expectObject(r["stats"], `${where}.stats`);
    for (const key of ["p50", "p75", "p99", "max", "mean"]) expectTime(s[key], `${where}.stats.${key}`, false);
    expectTime(s["min"], `${where}.stats.min`, baseline);
    if (baseline) expectTime(s["p50"], `${where}.stats.p50`, true);
    const samples = expectNumber(s["samples"], `${where}.stats.samples`);
    if (!Number.isInteger(samples) || samples < 0) throw new ShapeError(`${where}.stats.samples: expected a count, found ${samples}`);
    const set = expectArray(s["sampleSet"], `${where}.stats.sampleSet`);
    set.forEach((v, i) => expectTime(v, `${where}.stats.sampleSet[${i}]`, false));
    // Measured stats always keep samples; without them every comparison would read as "unchanged".
    if (set.length === 0) throw new ShapeError(`${where}.stats.sampleSet: expected the kept samples, found an empty list`);
    if (s["calibration"] !== undefined) expectTime(s["calibration"], `${where}.stats.calibration`, true);
    if (s["blocks"] !== undefined) expectArray(s["blocks"], `${where}.stats.blocks`).forEach((v, i) => expectTime(v, `${where}.stats.blocks[${i}]`, false));
    optional(s["heapPerIter"], (v) => expectNumber(v, `${where}.stats.heapPerIter`));
  }
  return r as unknown as BenchResult;
}

function expectBoolean(value: unknown, where: string): boolean {
  if (typeof value !== "boolean") throw new ShapeError(`${where}: expected true or false, found ${describe(value)}`);
  return value;
}

function checkFileFailure(value: unknown, where: string): void {
  const f = expectObject(value, where);
  expectString(f["file"], `${where}.file`);
  expectString(f["message"], `${where}.message`);
  expectOneOf(f["kind"], ["compile", "load", "crash", "timeout"], `${where}.kind`);
  optional(f["line"], (v) => expectNumber(v, `${where}.line`));
  optional(f["column"], (v) => expectNumber(v, `${where}.column`));
}

function checkViolation(value: unknown, where: string): void {
  const v = expectObject(value, where);
  expectString(v["contractId"], `${where}.contractId`);
  expectOneOf(v["kind"], ["latency", "memory"], `${where}.kind`);
  expectString(v["target"], `${where}.target`);
  expectString(v["file"], `${where}.file`);
  expectNumber(v["line"], `${where}.line`);
  expectNumber(v["measured"], `${where}.measured`);
  expectNumber(v["threshold"], `${where}.threshold`);
  expectOneOf(v["unit"], [...LATENCY_UNITS, ...MEMORY_UNITS], `${where}.unit`);
  expectNumber(v["timestamp"], `${where}.timestamp`);
  optional(v["percentile"], (p) => expectNumber(p, `${where}.percentile`));
}

export function checkRunResults(value: unknown): RunResults {
  const obj = checkSchemaVersion(value, "results file");
  expectString(obj["createdAt"], "createdAt");
  checkMachine(obj["machine"], "machine");
  optional(obj["quick"], (v) => expectBoolean(v, "quick"));
  optional(obj["filter"], (v) => expectString(v, "filter"));
  optional(obj["commit"], (v) => expectString(v, "commit"));
  expectArray(obj["results"], "results").forEach((r, i) => checkResult(r, `results[${i}]`, false));
  expectArray(obj["violations"], "violations").forEach((v, i) => checkViolation(v, `violations[${i}]`));
  expectArray(obj["fileFailures"], "fileFailures").forEach((f, i) => checkFileFailure(f, `fileFailures[${i}]`));
  if (obj["violationsOmitted"] !== undefined) expectNumber(obj["violationsOmitted"], "violationsOmitted");
  const byContract = obj["violationsOmittedByContract"];
  if (byContract !== undefined) {
    for (const [id, n] of Object.entries(expectObject(byContract, "violationsOmittedByContract"))) expectNumber(n, `violationsOmittedByContract[${JSON.stringify(id)}]`);
  }
  if (obj["against"] !== undefined) checkAgainst(obj["against"]);
  return obj as unknown as RunResults;
}

/** An A/B run's paired rounds: perf:check judges them again, so a damaged number must not pass for a measurement. */
function checkAgainst(value: unknown): void {
  const a = expectObject(value, "against");
  expectString(a["ref"], "against.ref");
  expectString(a["commit"], "against.commit");
  expectArray(a["removedFiles"], "against.removedFiles");
  expectArray(a["benches"], "against.benches").forEach((raw, i) => {
    const where = `against.benches[${i}]`;
    const b = expectObject(raw, where);
    expectString(b["file"], `${where}.file`);
    expectString(b["id"], `${where}.id`);
    const fastA = expectArray(b["fastA"], `${where}.fastA`);
    const fastB = expectArray(b["fastB"], `${where}.fastB`);
    for (const [name, list] of [["fastA", fastA], ["fastB", fastB]] as const) {
      list.forEach((v, j) => {
        if (expectNumber(v, `${where}.${name}[${j}]`) <= 0) throw new ShapeError(`${where}.${name}[${j}]: expected a time above 0, found ${describe(v)}`);
      });
    }
    if (fastA.length !== fastB.length) throw new ShapeError(`${where}: expected as many rounds on each side, found ${fastA.length} and ${fastB.length}`);
    if (b["a"] !== undefined) expectObject(b["a"], `${where}.a`);
  });
}

export function checkBaselineFile(value: unknown): BaselineFile {
  const obj = checkSchemaVersion(value, "baseline file");
  expectString(obj["file"], "file");
  checkMachine(obj["machine"], "machine");
  expectArray(obj["results"], "results").forEach((r, i) => checkResult(r, `results[${i}]`, true));
  return obj as unknown as BaselineFile;
}
