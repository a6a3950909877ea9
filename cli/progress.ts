/**
 * Progress while benchmarks run, on stderr so stdout carries only the report. On a terminal one
 * status line is rewritten in place; elsewhere (CI logs, pipes) each finished bench gets its own line.
 */
import type { Style } from "./color";
import { failureLocation, failureSummary } from "./report/failure-text";
import type { ProgressEvent, ThirdPassReason } from "./engine/types";
import { formatBytes, formatNs } from "./report/units";
import { guardLines, safeForText } from "./safe-text";

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Progress {
  readonly onProgress: (event: ProgressEvent) => void;
  /** Clears the status line; call before printing the report. */
  finish(): void;
}

/** Why a third process runs (RunOptions.thirdPass), as the progress line says it. */
const THIRD_PASS_REASONS: Readonly<Record<ThirdPassReason, string>> = {
  "confirm-regression": "slower than its baseline, confirming",
  "save-baseline": "baselines are measured in three processes",
};

export function createProgress(stream: ProgressStream, style: Style): Progress {
  const live = stream.isTTY === true;
  let statusShown = false;
  let file = "";
  let position = "";
  let done = 0;

  const status = (text: string): void => {
    // A pseudo-terminal may report 0 columns: treat that as unknown.
    const width = Math.max(20, (stream.columns || 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    stream.write(`\r\u001b[2K${guardLines(line)}`);
    statusShown = true;
  };
  const clear = (): void => {
    if (statusShown) stream.write("\r\u001b[2K");
    statusShown = false;
  };
  const permanent = (text: string): void => {
    clear();
    stream.write(`${guardLines(text)}\n`);
  };

  const onProgress = (raw: ProgressEvent): void => {
    // Names and messages come from the bench files: shown as escapes, never as terminal or CI commands.
    const event = safeForText(raw);
    switch (event.type) {
      case "compile": {
        // No bench files: the report says so, with where it looked.
        if (event.files === 0) return;
        const cached = event.cached > 0 ? ` (${event.cached} cached)` : "";
        const text = `compiling ${event.files} bench file${event.files === 1 ? "" : "s"}${cached}…`;
        if (live) status(text);
        else permanent(style.dim(text));
        return;
      }
      case "file-start":
        file = event.file;
        position = `[${event.index + 1}/${event.total}]`;
        if (live) status(`${position} ${file}…`);
        return;
      case "bench-start":
        // Each bench is measured in two or three processes; its line comes when the last one is done.
        if (live) status(`${position} ${file} · ${done} done · measuring ${event.id}…`);
        return;
      case "bench-done": {
        done++;
        const r = event.result;
        const text = r.stats
          ? `${style.green("✓")} ${r.id}  ${style.dim(`p50 ${formatNs(r.stats.p50)} · p99 ${formatNs(r.stats.p99)}${r.stats.heapPerIter !== undefined ? ` · ${formatBytes(r.stats.heapPerIter)}/iter` : ""}`)}`
          : `${style.red("✗")} ${r.id}  ${r.timedOut ? "timed out" : (r.error ?? "failed").split("\n", 1)[0]}`;
        if (live) {
          // Failures stay on screen: they would otherwise vanish under the next status line.
          if (!r.stats) permanent(text);
          status(`${position} ${file} · ${done} done · last: ${r.id}`);
        } else {
          permanent(`${position} ${text}`);
        }
        return;
      }
      case "ab-round": {
        // Live only: a log gets one line per bench when it is done, not one per round.
        if (live) status(`${position} ${file} · round ${event.round}${event.round > 1 ? ` · ${event.benches} bench${event.benches === 1 ? "" : "es"} undecided` : ""}…`);
        return;
      }
      case "third-pass": {
        const text = `third process for ${event.ids.join(", ")}: ${THIRD_PASS_REASONS[event.reason]}…`;
        if (live) status(`${position} ${file} · ${text}`);
        else permanent(`${position} ${style.dim(text)}`);
        return;
      }
      case "file-done":
        if (event.failure) {
          const where = failureLocation(event.failure);
          permanent(`${style.red("✗")} ${where}: ${event.failure.kind} — ${failureSummary(event.failure, where)}`);
        }
        return;
    }
  };
  return { onProgress, finish: clear };
}
