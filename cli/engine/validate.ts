/**
 * Shape checks for the JSON files the engine reads back (results, baselines). They are written by us,
 * but they are committed, merged, hand-edited and produced by older versions: a bad one must give a
 * message naming the file and the field, never a crash deep inside the judge.
 */
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

function checkResult(value: unknown, where: string): BenchResult {
  const r = expectObject(value, where);
  expectString(r["file"], `${where}.file`);
  expectString(r["name"], `${where}.name`);
  expectString(r["id"], `${where}.id`);
  if (r["stats"] !== undefined) {
    const s = expectObject(r["stats"], `${where}.stats`);
    for (const key of ["p50", "p75", "p99", "min", "max", "mean", "samples"]) expectNumber(s[key], `${where}.stats.${key}`);
    const set = expectArray(s["sampleSet"], `${where}.stats.sampleSet`);
    set.forEach((v, i) => expectNumber(v, `${where}.stats.sampleSet[${i}]`));
    // Measured stats always keep samples; without them every comparison would read as "unchanged".
    if (set.length === 0) throw new ShapeError(`${where}.stats.sampleSet: expected the kept samples, found an empty list`);
    if (s["calibration"] !== undefined) expectNumber(s["calibration"], `${where}.stats.calibration`);
    if (s["blocks"] !== undefined) expectArray(s["blocks"], `${where}.stats.blocks`).forEach((v, i) => expectNumber(v, `${where}.stats.blocks[${i}]`));
  }
  return r as unknown as BenchResult;
}

export function checkRunResults(value: unknown): RunResults {
  const obj = checkSchemaVersion(value, "results file");
  expectString(obj["createdAt"], "createdAt");
  checkMachine(obj["machine"], "machine");
  expectArray(obj["results"], "results").forEach((r, i) => checkResult(r, `results[${i}]`));
  expectArray(obj["violations"], "violations");
  expectArray(obj["fileFailures"], "fileFailures");
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
  expectArray(obj["results"], "results").forEach((r, i) => checkResult(r, `results[${i}]`));
  return obj as unknown as BaselineFile;
}
