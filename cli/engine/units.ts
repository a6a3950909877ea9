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
  if (abs < 1e3) return `${Number(ns.toPrecision(3))} ns`;
  if (abs < 1e6) return `${Number((ns / 1e3).toPrecision(3))} µs`;
  if (abs < 1e9) return `${Number((ns / 1e6).toPrecision(3))} ms`;
  return `${Number((ns / 1e9).toPrecision(3))} s`;
}

/** Human-readable bytes with binary multiples, as the config counts them (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${Number(bytes.toPrecision(3))} B`;
  if (abs < 1024 ** 2) return `${Number((bytes / 1024).toPrecision(3))} KB`;
  if (abs < 1024 ** 3) return `${Number((bytes / 1024 ** 2).toPrecision(3))} MB`;
  return `${Number((bytes / 1024 ** 3).toPrecision(3))} GB`;
}

/** A value in a named unit, rescaled for reading: 26732 us → "26.7 ms", 100 us → "100 µs". */
export function formatInUnit(value: number, unit: string): string {
  if (unit in latencyNs) return formatNs(value * latencyNs[unit as BenchLatencyUnit]);
  if (unit in heapBytes) return formatBytes(value * heapBytes[unit as BenchHeapUnit]);
  return `${Number(value.toPrecision(3))} ${unit}`;
}
