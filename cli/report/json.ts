import type { PerfReport } from "./model";

/** The report document as pretty-printed JSON; its shape is `PerfReport` (schemaVersion 1). */
export function renderJson(report: PerfReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
