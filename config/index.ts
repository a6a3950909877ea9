/** `.choragen/performance.yaml`: finding, parsing, validating, resolving budgets and explaining the result. */
export type {
  BenchBudget,
  ConfigProblem,
  LatencyBudget,
  LatencyUnit,
  LoadedConfig,
  MemoryBudget,
  MemoryUnit,
  OnViolation,
  PerfConfig,
  ValueSource,
} from "./types";
export { ConfigError, formatProblem, formatProblems } from "./problems";
export { parseConfig, parseConfigWithSources, defaultConfig, type ParsedConfig } from "./parse";
export { loadConfig, type LoadConfigOptions } from "./load";
export { findConfigFile, findProjectRoot, CONFIG_RELATIVE_PATH } from "./find";
export { contractBudget, chooseBudget, type BudgetChoice } from "./overrides";
export { toMilliseconds, toBytes, LATENCY_UNITS, MEMORY_UNITS } from "./units";
export { formatConfig } from "./format";
export { formatKeyPath } from "./key-path";
export { globError, globSpecificity } from "./glob";
export { configSchema, DEFAULTS } from "./schema";
export { unitFromSpelling } from "./units";
// Not re-exported: ./json-schema (and ./write-schema) need @valibot/to-json-schema, a dev dependency that a
// user's install does not have. Import them by file where the schema is generated.
