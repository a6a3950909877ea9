import { BYTES_PER_UNIT, NS_PER_UNIT } from "../../runtime/units";
import type { BenchHeapUnit, BenchLatencyUnit } from "./types";

/** The engine measures in nanoseconds and bytes; budgets are written in the runtime's units (runtime/units.ts). */
export function nsTo(unit: BenchLatencyUnit, ns: number): number {
  return ns / NS_PER_UNIT[unit];
}

export function bytesTo(unit: BenchHeapUnit, bytes: number): number {
  return bytes / BYTES_PER_UNIT[unit];
}
