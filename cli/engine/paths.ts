import * as path from "node:path";

export const choragenDir = (root: string): string => path.join(root, ".choragen");
export const resultsDir = (root: string): string => path.join(choragenDir(root), "results");
export const latestResultsPath = (root: string): string => path.join(resultsDir(root), "latest.json");
export const baselinesDir = (root: string): string => path.join(choragenDir(root), "baselines");
export const cacheDir = (root: string): string => path.join(choragenDir(root), "cache");

/** `/`-separated path relative to root, for everything written to disk or shown to the user. */
export function toPosixRelative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}
