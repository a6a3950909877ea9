/**
 * Human formatting of the engine's raw units (nanoseconds, bytes): the one set of formatters, shared by every
 * reporter and the progress line. The units and their factors are the runtime's (runtime/units.ts). A value that
 * is not a finite number (a missing or damaged measurement) reads as "–" everywhere, never "NaN ns".
 */
import { BYTES_PER_UNIT, isLatencyUnit, isMemoryUnit, NS_PER_UNIT } from "../../runtime/units";

/** What a non-finite value reads as, in every formatter. */
export const NOT_A_NUMBER = "–";

/** Fixed digits without trailing zeros after the point ("1.50" → "1.5", "100" stays "100"). */
function trim(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

function significant(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return trim(value, 0);
  if (abs >= 10) return trim(value, 1);
  return trim(value, 2);
}

/** 1234 → "1.23 µs"; picks the unit that keeps 1–3 integer digits. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return NOT_A_NUMBER;
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${significant(ns)} ns`;
  if (abs < 1e6) return `${significant(ns / 1e3)} µs`;
  if (abs < 1e9) return `${significant(ns / 1e6)} ms`;
  return `${significant(ns / 1e9)} s`;
}

/** Bytes with binary multiples, matching the config's 1 KB = 1024 B. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return NOT_A_NUMBER;
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${significant(bytes)} B`;
  if (abs < 1024 ** 2) return `${significant(bytes / 1024)} KB`;
  if (abs < 1024 ** 3) return `${significant(bytes / 1024 ** 2)} MB`;
  return `${significant(bytes / 1024 ** 3)} GB`;
}

/** A measurement in a named unit (budget checks, violations), rescaled for reading: 26732 us → "26.7 ms". */
export function formatInUnit(value: number, unit: string): string {
  if (isLatencyUnit(unit)) return formatNs(value * NS_PER_UNIT[unit]);
  if (isMemoryUnit(unit)) return formatBytes(value * BYTES_PER_UNIT[unit]);
  if (!Number.isFinite(value)) return NOT_A_NUMBER;
  return `${significant(value)} ${unit}`;
}

/**
 * A change as the verdict's sentences give it: signed, one decimal, ASCII minus ("+10.2%", "-3.0%"); an
 * interval of too few rounds reaches "+∞". Tables use formatPct.
 */
export function formatChangePct(x: number): string {
  if (Number.isNaN(x)) return NOT_A_NUMBER;
  return Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${x.toFixed(1)}%` : x > 0 ? "+∞" : "−∞";
}

export function formatPct(pct: number): string {
  if (!Number.isFinite(pct)) return NOT_A_NUMBER;
  const sign = pct > 0 ? "+" : pct < 0 ? "−" : "±";
  return `${sign}${trim(Math.abs(pct), Math.abs(pct) >= 100 ? 0 : 1)}%`;
}

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return NOT_A_NUMBER;
  if (p < 0.001) return "p<0.001";
  return `p=${p.toFixed(3)}`;
}
