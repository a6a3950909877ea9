import type { OnViolation } from "./types";

/**
 * The documented defaults every part reads (config/schema.ts builds the config's from these, the runtime starts
 * with them): `@perf.latency()` / `@perf.memory()` without options, and the reaction to a violation.
 */
export const DEFAULT_LATENCY = { max: 200, unit: "ms" } as const;
export const DEFAULT_MEMORY = { max: 50, unit: "MB" } as const;
export const DEFAULT_ON_VIOLATION = "record" satisfies OnViolation;

/** The reactions to a violation: the one list the runtime, the config schema and the CLI check against. */
export const ON_VIOLATION = ["record", "warn", "throw"] as const satisfies readonly OnViolation[];

export function isOnViolation(value: unknown): value is OnViolation {
  return typeof value === "string" && (ON_VIOLATION as readonly string[]).includes(value);
}
