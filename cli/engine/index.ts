/**
 * Entry points of the benchmark engine. The CLI calls these; everything else in cli/engine/ is internal.
 *
 *   runBenchmarks(opts): Promise<RunResults>   discover, compile (instrument mode, cached), run; writes latest.json
 *   runAgainst(opts): Promise<RunResults>      the same, side by side with the code of a git ref (`--against`)
 *   saveBaselines(root, results): string[]     one baseline file per bench file, written atomically
 *   loadBaselines(root, { ref? }): Promise<Baselines>   working tree, or `git show <ref>:…`
 *   judge(input): Verdict                      compare, check budgets, score; pure
 *   confirmRegressions(baselines, threshold)   which benches get a third process (RunOptions.thirdPass)
 *   readLatestResults(root): RunResults        throws EngineError with a clear message
 */
export * from "./types";
export { runBenchmarks, DEFAULT_TIMEOUT_MS } from "./runner";
export { runAgainst } from "./ab/runner";
export { saveBaselines, loadBaselines, baselineFileName, baselinePath } from "./baselines";
export { judge, checkBudgets, confirmRegressions } from "./judge";
export { readLatestResults, writeLatestResults } from "./results";
export { latestResultsPath, baselinesDir } from "./paths";
export { discoverBenchFiles } from "./discover";
export { machineFingerprint } from "./machine";

// The CLI passes the validated config straight in: keep `PerfConfig` assignable to what the engine reads.
import type { PerfConfig } from "../../config/index";
import type { EngineConfig as _EngineConfig } from "./types";
const _perfConfigFits: PerfConfig extends _EngineConfig ? true : never = true;
void _perfConfigFits;
