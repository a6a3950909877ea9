import type { PerfReport } from "./model";

/**
 * Characters JSON.stringify leaves raw that a terminal or an editor acts on: C1 controls (U+009B is a
 * CSI), line and paragraph separators, bidirectional overrides and isolates. They can only occur inside
 * strings, where `\uXXXX` means the same: the data is unchanged, the text harmless when printed.
 */
const RAW_UNSAFE = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** The report document as pretty-printed JSON; its shape is `PerfReport` (schemaVersion 1). */
export function renderJson(report: PerfReport): string {
  return JSON.stringify(report, null, 2).replace(RAW_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`) + "\n";
}
