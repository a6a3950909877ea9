import type { LatencyUnit, MemoryUnit, Unit } from "../runtime/types";
import { isLatencyUnit, isMemoryUnit, LATENCY_UNITS, MEMORY_UNITS, toBase, unitsOf } from "../runtime/units";
import { didYouMean } from "./suggest";

// The units, their factors and guards are the runtime's (runtime/units.ts): one definition, dependency-free.
export { isLatencyUnit, isMemoryUnit, LATENCY_UNITS, MEMORY_UNITS };

/**
 * Probes measure latency in milliseconds (performance.now()) and memory in bytes, so budgets are normalised to
 * that, by the runtime's own conversion (runtime/units.ts): one definition, exact (5 ns is 5 / 1e6 ms, not
 * 5 * 1e-6 = 0.0000049999999999999996), so a budget the transformer writes as a literal is the one the runtime
 * converts measurements back against. 1 KB = 1024 B, as the SPEC says (and as V8's heap statistics count).
 */
export function toMilliseconds(max: number, unit: LatencyUnit): number {
  return toBase(max, unit);
}

export function toBytes(max: number, unit: MemoryUnit): number {
  return toBase(max, unit);
}

/** Spellings people actually write, mapped to the unit they mean (keys are lower-case). */
const LATENCY_SPELLINGS: Readonly<Record<string, LatencyUnit>> = {
  ns: "ns", nsec: "ns", nanosecond: "ns", nanoseconds: "ns",
  us: "us", "µs": "us", "μs": "us", usec: "us", microsecond: "us", microseconds: "us",
  ms: "ms", msec: "ms", msecs: "ms", millis: "ms", millisecond: "ms", milliseconds: "ms",
  s: "s", sec: "s", secs: "s", second: "s", seconds: "s",
};
const MEMORY_SPELLINGS: Readonly<Record<string, MemoryUnit>> = {
  b: "B", byte: "B", bytes: "B",
  k: "KB", kb: "KB", kib: "KB", kilobyte: "KB", kilobytes: "KB",
  m: "MB", mb: "MB", mib: "MB", megabyte: "MB", megabytes: "MB",
  g: "GB", gb: "GB", gib: "GB", gigabyte: "GB", gigabytes: "GB",
};

/** The unit a near-miss spelling stands for ("msec" → "ms", "kb" → "KB"), if any. */
export function unitFromSpelling(kind: "latency" | "memory", text: string): LatencyUnit | MemoryUnit | undefined {
  const table = kind === "latency" ? LATENCY_SPELLINGS : MEMORY_SPELLINGS;
  return table[text.trim().toLowerCase()];
}

/**
 * The unit a misspelt one most likely means, for every "did you mean" about units (the config loader's and the
 * compiler's give the same answer): a known spelling ("msec" → "ms"), else the closest unit by the config's own
 * edit distance (config/suggest.ts), when exactly one is close.
 */
export function suggestUnit(kind: "latency" | "memory", text: string): Unit | undefined {
  const spelled = unitFromSpelling(kind, text);
  if (spelled !== undefined) return spelled;
  const close = didYouMean(text, unitsOf(kind));
  return close.length === 1 ? (close[0] as Unit) : undefined;
}
