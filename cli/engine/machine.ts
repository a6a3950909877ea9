import * as os from "node:os";
import type { MachineFingerprint } from "./types";

export function machineFingerprint(): MachineFingerprint {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: (cpus[0]?.model ?? "unknown").trim().replace(/\s+/g, " "),
    cores: cpus.length,
    arch: process.arch,
    os: `${process.platform} ${os.release()}`,
  };
}

/** Fields that make timings incomparable. The OS kernel patch level is left out: it rarely matters
 *  and changes with every CI image update. */
export function machineDifferences(a: MachineFingerprint, b: MachineFingerprint): string[] {
  const diffs: string[] = [];
  if (a.cpu !== b.cpu) diffs.push(`CPU "${a.cpu}" vs "${b.cpu}"`);
  if (a.cores !== b.cores) diffs.push(`${a.cores} vs ${b.cores} cores`);
  if (a.arch !== b.arch) diffs.push(`arch ${a.arch} vs ${b.arch}`);
  if (a.node !== b.node) diffs.push(`node ${a.node} vs ${b.node}`);
  if (a.os.split(" ")[0] !== b.os.split(" ")[0]) diffs.push(`OS ${a.os} vs ${b.os}`);
  return diffs;
}

export function describeMachine(m: MachineFingerprint): string {
  return `${m.cpu} ×${m.cores}, ${m.arch}, ${m.os}, node ${m.node}`;
}
