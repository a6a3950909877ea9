/**
 * Preloaded (`node --require`) into a timed child process: on exit, writes the CPU time the process used to the
 * file named by CHORAGEN_BENCH_CPU_FILE. On a shared machine, CPU time moves far less with the neighbours' load
 * than wall-clock time does.
 */
import * as fs from "node:fs";

const file = process.env["CHORAGEN_BENCH_CPU_FILE"];
if (file !== undefined) {
  process.on("exit", () => {
    const { user, system } = process.cpuUsage();
    fs.writeFileSync(file, JSON.stringify({ userMs: user / 1000, systemMs: system / 1000 }));
  });
}
