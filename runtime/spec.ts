import type { ContractKind, OnViolation, ProbeOrigin, Unit } from "./types";

/**
 * Everything the transformer knows at compile time about one annotation; emitted as an object literal.
 * The one definition: the transformer's emitted facts are built from it (transformer/programmers/module.ts).
 */
export interface ContractSpec {
  readonly id: string;
  readonly kind: ContractKind;
  readonly target: string;
  readonly file: string;
  readonly line: number;
  /** The budget as written, in `unit`. */
  readonly max: number;
  readonly unit: Unit;
  /** `max` converted to what the probe measures: milliseconds for latency, bytes for memory. */
  readonly limit: number;
  readonly percentile?: number;
  /** The config file's reaction; perf.configure({ onViolation }) and env CHORAGEN_PERF_ON_VIOLATION win over it. */
  readonly onViolation?: OnViolation;
  readonly origin: ProbeOrigin;
}
