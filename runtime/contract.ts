import { clock } from "./clock";
import { heap } from "./heap";
import { Histogram, minimumSamples } from "./histogram";
import type { ContractSpec } from "./spec";
import { state, type RegisteredContract } from "./state";
import type { ContractSummary, PerformanceViolation } from "./types";
import { fromBase, isLatencyUnit, isMemoryUnit } from "./units";
import { react, type StackEntry } from "./violation";

export { heap } from "./heap";
export type { ContractSpec } from "./spec";

export interface Contract {
  readonly spec: ContractSpec;
  /** Called by a per-call probe only when `measured > spec.limit` (ms or bytes). Records, warns or throws. */
  /** `threw`: the call itself threw; then `throw` mode records and warns rather than replace the caller's error. */
  violate(measured: number, async?: boolean, threw?: boolean): void;
  /** Percentile contracts: called on every call with the elapsed milliseconds. */
  add(elapsedMs: number, async?: boolean, threw?: boolean): void;
  /**
   * For calls that return a promise without being `async`: when `value` is a native promise, measure
   * from `start` (a clock or heap reading) until it settles; otherwise measure now. Returns `value`
   * itself. Other thenables are judged now: calling their `then` could run them a second time.
   */
  settle<T>(value: T, start: number): T;
}

export interface ViolationSite {
  readonly file: string;
  readonly line: number;
}

export { MIN_PERCENTILE_SAMPLES, minimumSamples } from "./histogram";

const readClock = (): number => clock.now();

export class ContractImpl implements Contract, RegisteredContract {
  /** Runtime decorators learn the class name only at the first call, so this can change once. */
  target: string;
  /** A clock reading (ms) for latency, a heap reading (bytes) for memory. */
  readonly read: () => number;
  private readonly limit: number;
  /** Inlined per-call probes call in only on violation, so their calls cannot be counted. */
  private readonly countsCalls: boolean;
  private calls = 0;
  private violationCount = 0;
  /** Largest measurement seen, in ms or bytes. */
  private worst = 0;
  private readonly histogram: Histogram | undefined;
  private readonly percentile: number;
  /** Samples above the limit, counted exactly: they decide whether the percentile is over budget. */
  private over = 0;
  private overBudget = false;
  private readonly minSamples: number;

  constructor(readonly spec: ContractSpec) {
    this.target = spec.target;
    this.read = spec.kind === "memory" ? heap : readClock;
    this.limit = spec.limit;
    this.percentile = spec.percentile ?? 0;
    this.minSamples = minimumSamples(this.percentile);
    // Latency samples are kept in nanosecond ticks, memory in bytes: both start at one tick.
    this.histogram = spec.percentile === undefined ? undefined : new Histogram(spec.kind === "latency" ? 1e6 : 1);
    this.countsCalls = spec.origin !== "inline" || this.histogram !== undefined;
  }

  violate(measured: number, async = false, threw = false): void {
    this.judge(measured, async, !threw, undefined, this.violate);
  }

  add(elapsedMs: number, async = false, threw = false): void {
    // Emitted only for percentile contracts (both emitters); any other call is judged whole by measure().
    const histogram = this.histogram;
    if (histogram === undefined) this.measure(elapsedMs, async, !threw, undefined, this.add);
    else this.sample(histogram, elapsedMs, async, !threw, undefined, this.add);
  }

  /** `entry`: the runtime wrapper that calls this, if any (a thrown violation's stack starts below it). */
  settle<T>(value: T, start: number, entry?: StackEntry): T {
    // Plain native promises only: a subclass may override `then` or its species constructor, and calling
    // them an extra time would be observable.
    if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Promise.prototype) {
      // Only native promises are observed: calling `then` on another thenable can run it again
      // (lazy query builders execute on every `then`). The handler never throws, so the derived
      // promise never rejects; and once the caller holds the promise, a violation cannot be thrown
      // into it, so `throw` degrades to `warn` here (see react()).
      const done = (): void => {
        try {
          this.finish(start, true, false);
        } catch {
          // The collector must never turn a settled promise into an unhandled rejection.
        }
      };
      (value as unknown as Promise<unknown>).then(done, done);
    } else {
      this.finish(start, false, true, entry ?? this.settle);
    }
    return value;
  }

  /** Measures from `start` to now and judges it: the runtime fallbacks' and settle()'s common end. */
  finish(start: number, async: boolean, canThrow: boolean, entry: StackEntry = this.finish): void {
    const measured = this.read() - start;
    // A GC during the call can shrink the heap: growth is reported as >= 0.
    this.measure(measured < 0 ? 0 : measured, async, canThrow, undefined, entry);
  }

  /**
   * Judges one call seen whole (ms or bytes). `locate` gives the violation a place other than the
   * contract's own (assertLatency: the assertion that failed); it is only called on a violation.
   * `entry` is the outermost runtime function on the stack, left out of a thrown violation's stack.
   */
  measure(
    measured: number,
    async: boolean,
    canThrow: boolean,
    locate?: () => ViolationSite,
    entry: StackEntry = this.measure,
  ): void {
    if (this.histogram !== undefined) {
      this.sample(this.histogram, measured, async, canThrow, locate, entry);
      return;
    }
    this.calls++;
    if (measured > this.worst) this.worst = measured;
    if (measured > this.limit) this.judge(measured, async, canThrow, locate, entry);
    else this.changed();
  }

  /** Statistics changed since the journal last read them (`summary()`). */
  private unsaved = false;
  private changesSinceCheck = 0;

  /**
   * A report written later must hold this call. The first change after a snapshot asks the journal for one;
   * the rest cost a flag test, and every 256th asks whether a snapshot is overdue (code that never yields).
   */
  private changed(): void {
    if (!this.unsaved) {
      this.unsaved = true;
      state.journal?.touch();
    } else if ((++this.changesSinceCheck & 255) === 0) {
      state.journal?.overdue();
    }
  }

  /** A percentile contract's call: into the histogram, judged on the percentile of all calls so far. */
  private sample(histogram: Histogram, value: number, async: boolean, canThrow: boolean, locate: (() => ViolationSite) | undefined, entry: StackEntry): void {
    histogram.record(value);
    this.changed();
    if (value > this.worst) this.worst = value;
    const total = histogram.total;
    // Nearest-rank percentile: it is above the limit exactly when fewer than `rank` samples are within it.
    // A sample within the limit can only lower the percentile, so the costly check waits for one above.
    if (value > this.limit) {
      this.over++;
      if (!this.overBudget && total >= this.minSamples && total - this.over < Histogram.rank(this.percentile, total)) {
        this.cross(async, canThrow, locate, entry);
      }
    } else if (this.overBudget) {
      if (total - this.over >= Histogram.rank(this.percentile, total)) this.overBudget = false;
    } else if (total === this.minSamples && this.over > 0 && total - this.over < Histogram.rank(this.percentile, total)) {
      // Over budget already during the first samples: report once the minimum is reached.
      this.cross(async, canThrow, locate, entry);
    }
  }

  private cross(async: boolean, canThrow: boolean, locate: (() => ViolationSite) | undefined, entry: StackEntry): void {
    this.overBudget = true;
    this.violationCount++;
    const total = (this.histogram as Histogram).total;
    this.emit(this.percentileValue(), async, canThrow, total, locate, entry);
  }

  private percentileValue(): number {
    const histogram = this.histogram as Histogram;
    const rank = Histogram.rank(this.percentile, histogram.total);
    return histogram.valueAtRank(rank, this.limit, histogram.total - this.over < rank);
  }

  private judge(measured: number, async: boolean, canThrow: boolean, locate: (() => ViolationSite) | undefined, entry: StackEntry): void {
    this.violationCount++;
    if (measured > this.worst) this.worst = measured;
    this.emit(measured, async, canThrow, undefined, locate, entry);
  }

  private emit(
    measured: number,
    async: boolean,
    canThrow: boolean,
    samples: number | undefined,
    locate: (() => ViolationSite) | undefined,
    entry: StackEntry,
  ): void {
    const spec = this.spec;
    const site = locate === undefined ? spec : locate();
    const violation: PerformanceViolation = {
      contractId: spec.id,
      kind: spec.kind,
      target: this.target,
      file: site.file,
      line: site.line,
      measured: fromBase(measured, spec.unit),
      threshold: spec.max,
      unit: spec.unit,
      ...(samples === undefined ? {} : { percentile: spec.percentile }),
      timestamp: Date.now(),
      context: {
        origin: spec.origin,
        async,
        ...(samples === undefined ? {} : { samples }),
        pid: process.pid,
      },
    };
    // perf.configure({ onViolation }) is the program saying how it wants violations now: it outranks the value the
    // transformer wrote from the config file (env CHORAGEN_PERF_ON_VIOLATION still outranks both, in react()).
    react(violation, state.defaults.onViolation ?? spec.onViolation, canThrow, entry);
  }

  summary(): ContractSummary {
    this.unsaved = false;
    const spec = this.spec;
    const histogram = this.histogram;
    return {
      contractId: spec.id,
      kind: spec.kind,
      target: this.target,
      file: spec.file,
      line: spec.line,
      threshold: spec.max,
      unit: spec.unit,
      ...(spec.percentile === undefined ? {} : { percentile: spec.percentile }),
      ...(this.countsCalls ? { calls: histogram === undefined ? this.calls : histogram.total } : {}),
      violations: this.violationCount,
      worst: fromBase(this.worst, spec.unit),
      ...(histogram !== undefined && histogram.total > 0 ? { percentileValue: fromBase(this.percentileValue(), spec.unit) } : {}),
      ...(histogram !== undefined ? { samples: { scale: histogram.scale, limit: this.limit, above: this.over, buckets: histogram.sparse() } } : {}),
    };
  }

  reset(): void {
    this.calls = 0;
    this.violationCount = 0;
    this.worst = 0;
    this.over = 0;
    this.overBudget = false;
    this.histogram?.reset();
  }
}

function sameContract(a: ContractSpec, b: ContractSpec): boolean {
  return a.kind === b.kind && a.limit === b.limit && a.percentile === b.percentile && a.target === b.target &&
    a.file === b.file && a.line === b.line && a.origin === b.origin && a.onViolation === b.onViolation;
}

/**
 * Registers a contract in the process-wide collector. A module evaluated twice (a test runner's module
 * registry, a class built in a factory) asks again with the same id: it gets the same contract back,
 * so statistics add up and the registry does not grow.
 */
export function registerContract(spec: ContractSpec): ContractImpl {
  const existing = state.contractsById.get(spec.id);
  if (existing instanceof ContractImpl && sameContract(existing.spec, spec)) return existing;
  const created = new ContractImpl(spec);
  state.contracts.push(created);
  if (existing === undefined) state.contractsById.set(spec.id, created);
  state.journal?.armed(created.summary());
  return created;
}

/** The probe entry point: the transformer emits one call per annotation, at module load. */
export function contract(spec: ContractSpec): Contract {
  if (!(spec.limit > 0) || !(spec.kind === "latency" ? isLatencyUnit(spec.unit) : isMemoryUnit(spec.unit))) {
    throw new TypeError(`@choragen/perf: contract ${spec.id} for ${spec.target} has no valid limit/unit`);
  }
  return registerContract(spec);
}
