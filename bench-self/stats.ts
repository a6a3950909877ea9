import * as fs from "node:fs";

/** The engine's median: one definition for the CLI and the self-benchmarks. */
export { median } from "../cli/engine/statistics";

/**
 * CPU time (user + system, ms) of this process's finished children, from /proc (Linux; NaN elsewhere). On a shared,
 * loaded machine the wall time of a build mostly measures the other tenants; CPU time is steadier. It counts what
 * the build process and the children it waited for ran (not a service it left running, such as esbuild's).
 */
export function childrenCpuMs(): number {
  try {
    const fields = fs.readFileSync("/proc/self/stat", "utf8").replace(/^.*\) /, "").split(" ");
    // After the command name: state is field 3 of stat(5); cutime and cstime are fields 16 and 17.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return NaN;
  }
}
