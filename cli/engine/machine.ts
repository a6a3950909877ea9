import * as os from "node:os";
import type { MachineDifference, MachineFingerprint } from "./types";

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
 *  and changes with every CI image update. The words: cli/report/words.ts. */
export function machineDifferences(a: MachineFingerprint, b: MachineFingerprint): MachineDifference[] {
  const diffs: MachineDifference[] = [];
  if (a.cpu !== b.cpu) diffs.push({ field: "cpu", a: a.cpu, b: b.cpu });
  if (a.cores !== b.cores) diffs.push({ field: "cores", a: a.cores, b: b.cores });
  if (a.arch !== b.arch) diffs.push({ field: "arch", a: a.arch, b: b.arch });
  if (a.node !== b.node) diffs.push({ field: "node", a: a.node, b: b.node });
  if (a.os.split(" ")[0] !== b.os.split(" ")[0]) diffs.push({ field: "os", a: a.os, b: b.os });
  return diffs;
}
