/**
 * `perf:bench`: finds and compiles the bench files, runs each in its own child processes, one file
 * after the other so they do not compete for the CPU (passes.ts: how many processes per file;
 * run-file.ts: a bench that throws, hangs or crashes; supervise.ts: the processes), and writes the
 * results document.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CompiledBench } from "./compile";
import { discoverBenchFiles } from "./discover";
import { runFilePasses } from "./passes";
import { choragenDir } from "./paths";
import { writeLatestResults } from "./results";
import { runDocument, runEachFile } from "./run-document";
import type { FileFailure, RunOptions, RunResults } from "./types";

export { DEFAULT_TIMEOUT_MS } from "./supervise";

export async function runBenchmarks(opts: RunOptions): Promise<RunResults> {
  const { root, config } = opts;
  const symlinks: string[] = [];
  const files = discoverBenchFiles(root, config.benchmarks.include, config.benchmarks.exclude ?? [], (file) => symlinks.push(file));
  const configPath = opts.configFile === undefined ? path.join(choragenDir(root), "performance.yaml") : opts.configFile;
  // Loaded only when there is something to compile: judging old results must not need TypeScript.
  const { compileBenchFiles } = files.length === 0 ? { compileBenchFiles: () => [] as CompiledBench[] } : await import("./compile.js");
  const filter = opts.filter;
  // A file none of whose benches can match --filter is not loaded: its top-level code must not run.
  // (Loaded lazily as compile is: it needs TypeScript, which judging old results must not load.)
  const { mayDeclareMatching } = filter === undefined || files.length === 0 ? { mayDeclareMatching: () => true } : await import("./static-benches.js");
  const all = compileBenchFiles(files, { root, ...(configPath !== null && fs.existsSync(configPath) ? { configPath } : {}) });
  opts.onProgress?.({ type: "compile", files: all.length, cached: all.filter((c) => c.cached).length });
  const compiled = all.filter((c) => filter === undefined || c.inputs === undefined || mayDeclareMatching(root, c.file, c.inputs, filter));

  // A link is compiled and reported under a name that is not where its code lives (and may point out
  // of the project): it is named as a file that could not run rather than skipped without a word.
  const linked: FileFailure[] = symlinks.map((file) => ({
    file,
    kind: "load",
    message: `${file} is a symbolic link: bench files are run only as regular files; include the file it points to, or replace the link with a copy`,
  }));
  const collected = await runEachFile(compiled, opts, linked, (file, entry) => runFilePasses(file, entry, opts));
  const run = runDocument(root, opts, collected);
  // A run that measured nothing (a --filter that matched no bench, no bench files) is a usage error,
  // not results: written, it would replace the last good run and `perf:check` would pass on nothing.
  // (This also keeps a run outside any project from creating `.choragen/` where it was started.)
  if (run.results.length > 0 || run.fileFailures.length > 0) writeLatestResults(root, run);
  return run;
}
