import * as fs from "node:fs";
import { writeFileAtomic } from "./atomic";
import { latestResultsPath, toPosixRelative } from "./paths";
import { EngineError, type RunResults } from "./types";
import { ShapeError, checkRunResults } from "./validate";

export function writeLatestResults(root: string, results: RunResults): string {
  const file = latestResultsPath(root);
  writeFileAtomic(file, JSON.stringify(results, null, 2) + "\n");
  return file;
}

/** The results of the last `perf:bench` run, checked; EngineError with a clear message otherwise. */
export function readLatestResults(root: string): RunResults {
  const file = latestResultsPath(root);
  const shown = toPosixRelative(root, file);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new EngineError(`no benchmark results at ${shown}: run \`choragen perf:bench\` first`, shown);
    }
    throw new EngineError(`cannot read ${shown}: ${(error as Error).message}`, shown);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EngineError(`${shown} is not valid JSON (${(error as Error).message}); run \`choragen perf:bench\` again`, shown);
  }
  try {
    return checkRunResults(parsed);
  } catch (error) {
    if (error instanceof ShapeError) throw new EngineError(`${shown}: ${error.message}; run \`choragen perf:bench\` again`, shown);
    throw error;
  }
}
