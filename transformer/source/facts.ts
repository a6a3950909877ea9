/**
 * What the source-level core decides for one file: data only (the emitter turns it into text edits, hosts turn
 * diagnostics into their own errors).
 */
import type { InlineContractFacts } from "../match/contract-facts";

export type { ContractKind as ContractKindName } from "../../runtime/types";

/**
 * One annotation's compile-time facts, emitted as the object literal given to the probe's `contract()`: the
 * runtime's own `ContractSpec` (file relative to the project root, with forward slashes; `limit` in what the
 * probe measures). The reaction to a violation is not among them: the runtime decides it (config via
 * perf.configure, env).
 */
export type SourceContractFacts = InlineContractFacts;

/** A misuse, placed at file:line:column (1-based), with the same codes as the ts-patch host's diagnostics. */
export interface SourceDiagnostic {
  /** Errors stop the build; warnings say what the plugin could not do (the code still works, by the fallback). */
  readonly severity: "error" | "warning";
  readonly code: number;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Offsets in the source text, for hosts that underline. */
  readonly start: number;
  readonly length: number;
}
