/**
 * The one definition of `.choragen/performance.yaml`: validation, defaults, the TypeScript type (checked
 * against `PerfConfig` below) and the published JSON Schema all come from here.
 *
 * Every schema and action carries, as its valibot message, the phrase that completes "expected …": the
 * error reporter builds "expected <message>, found <what the file holds>" from it.
 */
import * as v from "valibot";
import { isValidGlob } from "./glob";
import { DEFAULT_LATENCY, DEFAULT_MEMORY, DEFAULT_ON_VIOLATION, ON_VIOLATION } from "../runtime/defaults";
import { LATENCY_UNITS, MEMORY_UNITS } from "./units";
import type { PerfConfig } from "./types";

export { ON_VIOLATION };

/** The documented defaults (docs/configuration.md); what a project without a config file runs on. */
export const DEFAULTS = {
  latency: DEFAULT_LATENCY,
  memory: DEFAULT_MEMORY,
  onViolation: DEFAULT_ON_VIOLATION,
  include: ["benchmarks/**/*.bench.ts"],
  exclude: ["**/node_modules/**"],
  regressionThreshold: 10,
  baselineBranch: "main",
  timeoutMs: 60_000,
  minScore: 80,
  maxViolations: 0,
} as const;

export const EXPECTED = {
  mapping: "a mapping (key: value pairs)",
  root: "a mapping with the sections contracts, benchmarks, thresholds",
  max: "a number greater than 0",
  latencyUnit: `one of ${LATENCY_UNITS.join(", ")}`,
  memoryUnit: `one of ${MEMORY_UNITS.join(", ")}`,
  percentile: "a number greater than 0 and at most 100",
  latencyBudget: "a latency budget such as { max: 200, unit: ms }",
  memoryBudget: "a memory budget such as { max: 50, unit: MB }",
  overrides: "a mapping of globs to budgets",
  glob: "a valid glob (picomatch syntax, / as separator)",
  onViolation: `one of ${ON_VIOLATION.join(", ")}`,
  boolean: "true or false",
  globList: "a list of globs",
  percent: "a number of percent, 0 or more",
  branch: "a git branch or ref name (no spaces)",
  timeout: "a whole number of milliseconds greater than 0",
  budgets: "a mapping of bench names to budgets",
  benchName: "a non-empty bench name",
  benchBudget: "a bench budget such as { p99: { max: 2, unit: ms }, heap: { max: 1, unit: MB } }",
  benchBudgetKeys: "at least one of p50, p75, p99, mean, heap",
  score: "a number from 0 to 100",
  count: "a whole number, 0 or more",
} as const;

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** valibot's object and record schemas accept arrays; YAML lists where mappings belong must fail here first. */
function mapping<TSchema extends v.GenericSchema<Record<string, unknown>>>(schema: TSchema, expected: string) {
  return v.pipe(v.custom<Record<string, unknown>>(isMapping, expected), schema);
}

function section<TEntries extends v.ObjectEntries>(entries: TEntries, description: string) {
  // A section left empty (`benchmarks:` with everything below commented out) means "all defaults".
  return v.nullish(v.pipe(mapping(v.strictObject(entries, EXPECTED.mapping), EXPECTED.mapping), v.description(description)), {});
}

const positive = v.pipe(
  v.number(EXPECTED.max),
  v.finite(EXPECTED.max),
  v.gtValue(0, EXPECTED.max),
  v.description("The budget, in `unit`; greater than 0."),
);
const latencyUnit = v.pipe(v.picklist(LATENCY_UNITS, EXPECTED.latencyUnit), v.description("ns, us, ms or s."));
const memoryUnit = v.pipe(v.picklist(MEMORY_UNITS, EXPECTED.memoryUnit), v.description("B, KB, MB or GB (1 KB = 1024 B)."));
const percentile = v.pipe(
  v.number(EXPECTED.percentile),
  v.finite(EXPECTED.percentile),
  v.gtValue(0, EXPECTED.percentile),
  v.maxValue(100, EXPECTED.percentile),
  v.description("Judge the contract on this percentile of all calls instead of on every call; in (0, 100]."),
);

export const contractLatencyBudget = mapping(
  v.strictObject({ max: positive, unit: latencyUnit, percentile: v.optional(percentile) }, EXPECTED.latencyBudget),
  EXPECTED.latencyBudget,
);
/** In a bench budget the key (p50, p99, …) already names the statistic, so there is no `percentile`. */
export const benchLatencyBudget = mapping(v.strictObject({ max: positive, unit: latencyUnit }, EXPECTED.latencyBudget), EXPECTED.latencyBudget);
export const memoryBudget = mapping(v.strictObject({ max: positive, unit: memoryUnit }, EXPECTED.memoryBudget), EXPECTED.memoryBudget);

const glob = v.pipe(v.string(EXPECTED.glob), v.check(isValidGlob, EXPECTED.glob));
const globList = v.array(glob, EXPECTED.globList);

function overrides<TBudget extends v.GenericSchema<Record<string, unknown>>>(budget: TBudget) {
  return v.nullish(
    v.pipe(
      mapping(v.record(glob, budget, EXPECTED.overrides), EXPECTED.overrides),
      v.description(
        "Budgets for matching annotations, keyed by a glob over file paths (relative to the project root) or " +
          "qualified names (`OrderService.*`). The most specific matching glob wins.",
      ),
    ),
    {},
  );
}

export const benchBudget = v.pipe(
  mapping(
    v.strictObject(
      {
        p50: v.optional(benchLatencyBudget),
        p75: v.optional(benchLatencyBudget),
        p99: v.optional(benchLatencyBudget),
        mean: v.optional(benchLatencyBudget),
        heap: v.optional(v.pipe(memoryBudget, v.description("Heap allocated per iteration."))),
      },
      EXPECTED.benchBudget,
    ),
    EXPECTED.benchBudget,
  ),
  v.minEntries(1, EXPECTED.benchBudgetKeys),
);

/** An empty file (or one with only comments) is read as `{}`: all defaults. */
export const configSchema = v.pipe(
  mapping(
    v.strictObject(
      {
        contracts: section(
          {
            latency: section(
              {
                default: v.optional(
                  v.pipe(contractLatencyBudget, v.description("Budget of `@perf.latency()` written without options.")),
                  () => ({ ...DEFAULTS.latency }),
                ),
                overrides: overrides(contractLatencyBudget),
              },
              "Latency contracts.",
            ),
            memory: section(
              {
                default: v.optional(
                  v.pipe(memoryBudget, v.description("Budget of `@perf.memory()` written without options.")),
                  () => ({ ...DEFAULTS.memory }),
                ),
                overrides: overrides(memoryBudget),
              },
              "Memory contracts: heap growth during a call.",
            ),
            onViolation: v.optional(
              v.pipe(
                v.picklist(ON_VIOLATION, EXPECTED.onViolation),
                v.description("What a violation does: record it, warn on stderr, or throw after the call."),
              ),
              DEFAULTS.onViolation,
            ),
          },
          "Performance contracts declared with @perf.latency / @perf.memory.",
        ),
        benchmarks: section(
          {
            enabled: v.optional(v.pipe(v.boolean(EXPECTED.boolean), v.description("Run benchmarks in `choragen perf`.")), true),
            include: v.optional(
              v.pipe(globList, v.description("Bench files, as globs relative to the project root.")),
              () => [...DEFAULTS.include],
            ),
            exclude: v.optional(
              v.pipe(globList, v.description("Files matched by include that are skipped.")),
              () => [...DEFAULTS.exclude],
            ),
            regressionThreshold: v.optional(
              v.pipe(
                v.number(EXPECTED.percent),
                v.finite(EXPECTED.percent),
                v.minValue(0, EXPECTED.percent),
                v.description("Percent slower than the baseline that counts as a regression (when also statistically significant)."),
              ),
              DEFAULTS.regressionThreshold,
            ),
            baselineBranch: v.optional(
              v.pipe(
                v.string(EXPECTED.branch),
                v.regex(/^[^\s~^:?*[\\]+$/, EXPECTED.branch),
                v.description("Compare against the baselines committed on this git ref."),
              ),
              DEFAULTS.baselineBranch,
            ),
            against: v.optional(
              v.pipe(
                v.string(EXPECTED.branch),
                v.regex(/^[^\s~^:?*[\\-][^\s~^:?*[\\]*$/, EXPECTED.branch),
                v.description(
                  "Measure the benchmarks side by side against the code of this git ref, in the same run (like `perf:bench --against <ref>`), and judge regressions on the paired data instead of stored baselines.",
                ),
              ),
            ),
            timeoutMs: v.optional(
              v.pipe(
                v.number(EXPECTED.timeout),
                v.integer(EXPECTED.timeout),
                v.gtValue(0, EXPECTED.timeout),
                v.description("Milliseconds a bench file's child process may run before it is stopped and reported."),
              ),
              DEFAULTS.timeoutMs,
            ),
            budgets: v.nullish(
              v.pipe(
                mapping(
                  v.record(v.pipe(v.string(EXPECTED.benchName), v.nonEmpty(EXPECTED.benchName)), benchBudget, EXPECTED.budgets),
                  EXPECTED.budgets,
                ),
                v.description("Budgets by bench name (exact, or `group/name` for a bench inside a group)."),
              ),
              {},
            ),
          },
          "Benchmarks run by `choragen perf` and `choragen perf:bench`.",
        ),
        thresholds: section(
          {
            minScore: v.optional(
              v.pipe(
                v.number(EXPECTED.score),
                v.finite(EXPECTED.score),
                v.minValue(0, EXPECTED.score),
                v.maxValue(100, EXPECTED.score),
                v.description("The run fails when the score (0–100) is below this."),
              ),
              DEFAULTS.minScore,
            ),
            maxViolations: v.optional(
              v.pipe(
                v.number(EXPECTED.count),
                v.integer(EXPECTED.count),
                v.minValue(0, EXPECTED.count),
                v.description("The run fails when more contract violations than this were recorded."),
              ),
              DEFAULTS.maxViolations,
            ),
          },
          "What makes `choragen perf` and `choragen perf:check` fail.",
        ),
      },
      EXPECTED.root,
    ),
    EXPECTED.root,
  ),
  v.title("choragen performance configuration (.choragen/performance.yaml)"),
  v.description("Performance contracts, benchmarks and CI thresholds for @choragen/perf."),
);

export type ConfigSchemaOutput = v.InferOutput<typeof configSchema>;

// The hand-written PerfConfig (the public contract) and the schema's output must not drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _schemaMatchesPerfConfig: Same<ConfigSchemaOutput, PerfConfig> = true;
void _schemaMatchesPerfConfig;
