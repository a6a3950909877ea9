/**
 * Violations collected from a program run (`choragen perf -- <cmd>`), kept in
 * `.choragen/results/violations.json` so `perf:check` can judge them later without re-running it.
 */
import { readFileSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { ContractSummary, PerformanceReport, PerformanceViolation } from "../runtime/types";
import { writeFileAtomic } from "./engine/atomic";
import { CliError } from "./errors";
import type { CommandRun } from "./report/model";

export interface CollectedViolations {
  readonly schemaVersion: 1;
  readonly collectedAt: string;
  readonly run: CommandRun;
  readonly contracts: readonly ContractSummary[];
  readonly violations: readonly PerformanceViolation[];
}

export function violationsPath(root: string): string {
  return join(root, ".choragen", "results", "violations.json");
}

function shown(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
}

export function writeCollected(root: string, collected: CollectedViolations): string {
  const file = violationsPath(root);
  // Atomic, so a concurrent `perf:check` never reads half a file.
  writeFileAtomic(file, JSON.stringify(collected, null, 2) + "\n");
  return file;
}

/** A later `perf` run without a program must not be judged with an older program's violations. */
export function clearCollected(root: string): void {
  rmSync(violationsPath(root), { force: true });
}

/** The stored violations, or undefined when no program run was recorded. */
export function readCollected(root: string): CollectedViolations | undefined {
  const file = violationsPath(root);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(`cannot read ${shown(root, file)}: ${(error as Error).message}.`);
  }
  const fix = "run `choragen perf -- <cmd>` again, or delete the file";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${shown(root, file)} is not valid JSON (${(error as Error).message}); ${fix}.`);
  }
  const problem = collectedProblem(parsed);
  if (problem !== null) throw new CliError(`${shown(root, file)} is not a choragen violations file: ${problem}; ${fix}.`);
  return parsed as CollectedViolations;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function collectedProblem(value: unknown): string | null {
  if (!isRecord(value)) return "expected an object";
  if (value.schemaVersion !== 1) return `schemaVersion is ${JSON.stringify(value.schemaVersion)}, expected 1`;
  const run = value.run;
  if (!isRecord(run) || !Array.isArray(run.argv)) return "run.argv is missing";
  if (!(typeof run.exitCode === "number" || (run.exitCode === null && typeof run.signal === "string"))) {
    return "run.exitCode is missing (a number, or null with the signal that ended the program)";
  }
  if (!(run.signal === null || typeof run.signal === "string")) return "run.signal is not a signal name or null";
  for (const key of ["contracts", "violations", "durationMs"] as const) {
    if (typeof run[key] !== "number" || !Number.isFinite(run[key])) return `run.${key} is not a number`;
  }
  if (typeof run.reportWritten !== "boolean") return "run.reportWritten is not true or false";
  if (!Array.isArray(value.contracts)) return "contracts is not an array";
  const badContract = value.contracts.findIndex((c) => !isRecord(c) || typeof c.contractId !== "string" || typeof c.violations !== "number" || !(c.violations >= 0));
  if (badContract >= 0) return `contracts[${badContract}]: expected a contractId and a violation count`;
  if (!Array.isArray(value.violations)) return "violations is not an array";
  const bad = value.violations.findIndex((v) => violationProblem(v) !== null);
  if (bad >= 0) return `violations[${bad}]: ${String(violationProblem(value.violations[bad]))}`;
  return null;
}

export function violationProblem(value: unknown): string | null {
  if (!isRecord(value)) return "expected an object";
  if (value.kind !== "latency" && value.kind !== "memory") return `kind is ${JSON.stringify(value.kind)}`;
  for (const key of ["contractId", "target", "file", "unit"] as const) {
    if (typeof value[key] !== "string") return `${key} is not a string`;
  }
  for (const key of ["line", "measured", "threshold", "timestamp"] as const) {
    if (typeof value[key] !== "number") return `${key} is not a number`;
  }
  return null;
}

/**
 * Reads the report the runtime wrote at exit (CHORAGEN_PERF_REPORT). Undefined when the program
 * never loaded the runtime; a broken file is an error, because dropping violations silently would
 * let a failing build pass.
 */
export function readRuntimeReport(file: string): PerformanceReport | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(`cannot read the program's performance report ${file}: ${(error as Error).message}.`);
  }
  if (text.trim() === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`the program's performance report (${file}) is not valid JSON: ${(error as Error).message}.`);
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.violations) || !Array.isArray(parsed.contracts)) {
    throw new CliError(`the program's performance report (${file}) has no "violations" and "contracts" arrays; is @choragen/perf the same version as the CLI?`);
  }
  const bad = parsed.violations.findIndex((v) => violationProblem(v) !== null);
  if (bad >= 0) {
    throw new CliError(`the program's performance report (${file}) has a malformed violations[${bad}]: ${String(violationProblem(parsed.violations[bad]))}.`);
  }
  return parsed as unknown as PerformanceReport;
}
