import type { ContractKind, LatencyUnit, MemoryUnit, Unit } from "./types";

/**
 * The one vocabulary of units (config/, transformer/, bench/ and cli/ import it from here; this module stays
 * dependency-free). Each unit's exact factor: nanoseconds per latency unit, bytes per memory unit (1 KB = 1024 B).
 * Probes measure latency in milliseconds and memory in bytes (see fromBase/toBase).
 */
export const NS_PER_UNIT: Readonly<Record<LatencyUnit, number>> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
export const BYTES_PER_UNIT: Readonly<Record<MemoryUnit, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** In increasing size. */
export const LATENCY_UNITS = ["ns", "us", "ms", "s"] as const satisfies readonly LatencyUnit[];
export const MEMORY_UNITS = ["B", "KB", "MB", "GB"] as const satisfies readonly MemoryUnit[];

export function isLatencyUnit(unit: unknown): unit is LatencyUnit {
  return typeof unit === "string" && Object.prototype.hasOwnProperty.call(NS_PER_UNIT, unit);
}

export function isMemoryUnit(unit: unknown): unit is MemoryUnit {
  return typeof unit === "string" && Object.prototype.hasOwnProperty.call(BYTES_PER_UNIT, unit);
}

export function unitsOf(kind: ContractKind): readonly Unit[] {
  return kind === "latency" ? LATENCY_UNITS : MEMORY_UNITS;
}

/**
 * A measurement in ms or bytes, expressed in `unit`. Each conversion multiplies or divides by an exact
 * integer (1e6, 1e3, 1024^k), never by an inexact fraction such as 1e-6, so 0.002 ms is 2000 ns.
 */
export function fromBase(measured: number, unit: Unit): number {
  switch (unit) {
    case "ns":
      return measured * 1e6;
    case "us":
      return measured * 1e3;
    case "s":
      return measured / 1e3;
    case "ms":
      return measured;
    default:
      return measured / BYTES_PER_UNIT[unit];
  }
}

/** A budget written in `unit`, in ms or bytes. */
export function toBase(value: number, unit: Unit): number {
  switch (unit) {
    case "ns":
      return value / 1e6;
    case "us":
      return value / 1e3;
    case "s":
      return value * 1e3;
    case "ms":
      return value;
    default:
      return value * BYTES_PER_UNIT[unit];
  }
}

/** Short human form for messages: 73.2, 5.12, 0.00123, 1235. */
export function formatAmount(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return stripZeros(value.toFixed(1));
  if (abs === 0) return "0";
  return stripZeros(value.toPrecision(3));
}

function stripZeros(text: string): string {
  return text.includes(".") && !text.includes("e") ? text.replace(/\.?0+$/, "") : text;
}
