import type { ContractKind, LatencyUnit, MemoryUnit, Unit } from "./types";

/** Probes measure latency in milliseconds and memory in bytes. */
const LATENCY_UNITS: Readonly<Record<LatencyUnit, true>> = { ns: true, us: true, ms: true, s: true };
const MEMORY_UNITS: Readonly<Record<MemoryUnit, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

export function isLatencyUnit(unit: unknown): unit is LatencyUnit {
  return typeof unit === "string" && Object.prototype.hasOwnProperty.call(LATENCY_UNITS, unit);
}

export function isMemoryUnit(unit: unknown): unit is MemoryUnit {
  return typeof unit === "string" && Object.prototype.hasOwnProperty.call(MEMORY_UNITS, unit);
}

export function unitsOf(kind: ContractKind): readonly Unit[] {
  return Object.keys(kind === "latency" ? LATENCY_UNITS : MEMORY_UNITS) as Unit[];
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
      return measured / MEMORY_UNITS[unit];
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
      return value * MEMORY_UNITS[unit];
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
