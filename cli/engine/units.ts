import type { BenchHeapUnit, BenchLatencyUnit } from "./types";

const latencyNs: Record<BenchLatencyUnit, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const heapBytes: Record<BenchHeapUnit, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

export function nsTo(unit: BenchLatencyUnit, ns: number): number {
  return ns / latencyNs[unit];
}

export function bytesTo(unit: BenchHeapUnit, bytes: number): number {
  return bytes / heapBytes[unit];
}

/** Human-readable latency with a unit chosen for 3 significant digits. */
export function formatNs(ns: number): string {
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${ns.toPrecision(3)} ns`;
  if (abs < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
  if (abs < 1e9) return `${(ns / 1e6).toPrecision(3)} ms`;
  return `${(ns / 1e9).toPrecision(3)} s`;
}
