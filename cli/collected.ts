/**
 * Violations collected from a program run (`choragen perf -- <cmd>`), kept in
 * `.choragen/results/violations.json` so `perf:check` can judge them later without re-running it.
 */
import { readFileSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { ContractSummary, PerformanceReport, PerformanceViolation } from "../runtime/types";
import { writeFileAtomic } from "./engine/atomic";
import { checkCollected, checkRuntimeReport, ShapeError } from "./engine/validate";
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
  try {
    return checkCollected<CollectedViolations>(parsed);
  } catch (error) {
    if (error instanceof ShapeError) throw new CliError(`${shown(root, file)} is not a choragen violations file: ${error.message}; ${fix}.`);
    throw error;
  }
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
  try {
    return checkRuntimeReport(parsed);
  } catch (error) {
    if (error instanceof ShapeError) throw new CliError(`the program's performance report (${file}) is malformed: ${error.message}; is @choragen/perf the same version as the CLI?`);
    throw error;
  }
}
