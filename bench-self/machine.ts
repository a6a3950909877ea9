/** Where a run happened: printed with every figure, since a ratio means little without the machine and its load. */
import * as os from "node:os";

export interface Machine {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly platform: string;
}

/** Above this one-minute load average (the whole machine's, as `uptime` shows it) the output calls the run noisy. */
export const NOISY_LOAD = 1.5;

export function machine(): Machine {
  const cpus = os.cpus();
  return { node: process.version, cpu: cpus[0]?.model.trim() ?? "unknown CPU", cores: cpus.length, platform: `${process.platform} ${process.arch}` };
}

/** The one-minute load average; 0 where the platform has none (Windows). */
export function loadAverage(): number {
  return os.loadavg()[0] ?? 0;
}
