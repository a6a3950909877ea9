/**
 * The engine is required on first use, inside a command's execute: `--help` must not pay for it, and
 * neither may `perf:check` pay for the parts that compile and measure (TypeScript, mitata), which the
 * engine loads only inside runBenchmarks.
 */
import type * as EngineModule from "./engine/index";

export type Engine = typeof EngineModule;

export function loadEngine(): Engine {
  return require("./engine/index") as Engine;
}
