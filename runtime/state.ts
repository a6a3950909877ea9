import { DEFAULT_LATENCY, DEFAULT_MEMORY, isOnViolation, ON_VIOLATION } from "./defaults";
import type { ContractSpec } from "./spec";
import type { ContractSummary, LatencyUnit, MemoryUnit, OnViolation, PerformanceViolation, PerfTimer } from "./types";

/** What the collector needs from a contract, whichever copy of this package created it. */
export interface RegisteredContract {
  readonly spec: ContractSpec;
  summary(): ContractSummary;
  /** Forgets calls, samples and violations; the contract stays armed. */
  reset(): void;
}

export interface Defaults {
  latency: { max: number; unit: LatencyUnit; percentile?: number };
  memory: { max: number; unit: MemoryUnit };
  onViolation: OnViolation | undefined;
}

/**
 * Process-wide collector state. It lives on globalThis under a registered symbol, so every copy of the
 * package in the process (the CommonJS build loaded from ESM and from require, two installs in one
 * node_modules tree, a test runner's module registry) reads and writes the same contracts and violations.
 * Only plain data and objects with the `RegisteredContract` shape go in here: code from one copy must
 * work on objects made by another.
 */
export interface SharedState {
  readonly version: 1;
  readonly contracts: RegisteredContract[];
  readonly contractsById: Map<string, RegisteredContract>;
  violations: PerformanceViolation[];
  dropped: number;
  readonly defaults: Defaults;
  /** From env CHORAGEN_PERF_ON_VIOLATION, read once when the state is created. */
  readonly envOnViolation: OnViolation | undefined;
  /** Why that variable's value is not a reaction, if it is not. */
  readonly envProblem: string | undefined;
  readonly timers: Map<string, PerfTimer>;
  /** Set by the first copy of the error class, so `instanceof` works across copies. */
  errorClass: unknown;
  /**
   * Where this realm's contracts and violations go as they happen, when CHORAGEN_PERF_REPORT is set
   * (runtime/collection.ts): a report must not depend on the process ending cleanly.
   */
  journal: RealmJournal | undefined;
  /** `warn` mode prints the first violation of each contract in a realm; the rest are counted here, by contract id. */
  readonly warned: Map<string, { readonly target: string; unprinted: number }>;
}

/** What the collector needs of the realm's journal (runtime/journal.ts), whichever copy created it. */
export interface RealmJournal {
  /** A contract was registered. */
  armed(summary: ContractSummary): void;
  /** A violation was stored. */
  violation(violation: PerformanceViolation): void;
  /** `perf.reset()`: what was recorded before is forgotten. */
  reset(): void;
  /** Statistics changed: a snapshot is written soon (at most one pending write). */
  touch(): void;
  /** Statistics keep changing: write the snapshot now if the last one is more than two intervals old. */
  overdue(): void;
  /** Writes the snapshot now, synchronously. */
  flush(): void;
}

/** A hot loop must not be able to eat memory: violations beyond this are counted, not stored. */
export const MAX_STORED_VIOLATIONS = 10_000;

const KEY = Symbol.for("@choragen/perf");

/**
 * The environment's reaction, exactly as written. A value that is not one of them (`THROW`, an empty
 * string, a typo) is kept as a problem that the package's entry points throw (`assertEnvOnViolation`):
 * the program stops at once rather than record while the user expects it to throw, or the reverse. Only
 * the entry points throw, so a tool that merely reads reports (the CLI) is not stopped by it.
 */
function readEnvOnViolation(): { readonly value: OnViolation | undefined; readonly problem: string | undefined } {
  const raw = process.env["CHORAGEN_PERF_ON_VIOLATION"];
  if (raw === undefined) return { value: undefined, problem: undefined };
  if (isOnViolation(raw)) return { value: raw, problem: undefined };
  const near = ON_VIOLATION.find((v) => v === raw.trim().toLowerCase());
  return {
    value: undefined,
    problem: `@choragen/perf: CHORAGEN_PERF_ON_VIOLATION is ${raw === "" ? "set but empty" : JSON.stringify(raw)}: expected one of ${ON_VIOLATION.join(", ")}${near ? ` (did you mean "${near}"?)` : ""}. Unset it to use the configured reaction.`,
  };
}

/** Throws the environment's problem, if any: called where the package is loaded for use. */
export function assertEnvOnViolation(): void {
  if (state.envProblem !== undefined) throw new TypeError(state.envProblem);
}

function createState(): SharedState {
  const env = readEnvOnViolation();
  const state: SharedState = {
    version: 1,
    contracts: [],
    contractsById: new Map(),
    violations: [],
    dropped: 0,
    defaults: { latency: { ...DEFAULT_LATENCY }, memory: { ...DEFAULT_MEMORY }, onViolation: undefined },
    envOnViolation: env.value,
    envProblem: env.problem,
    timers: new Map(),
    errorClass: undefined,
    journal: undefined,
    warned: new Map(),
  };
  return state;
}

const holder = globalThis as unknown as Record<symbol, SharedState | undefined>;
export const state: SharedState = holder[KEY] ?? (holder[KEY] = createState());

export function storeViolation(violation: PerformanceViolation): void {
  if (state.violations.length < MAX_STORED_VIOLATIONS) {
    state.violations.push(violation);
    state.journal?.violation(violation);
  } else {
    state.dropped++;
    state.journal?.touch();
  }
}
