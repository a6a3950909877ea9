/** Picks and runs a reporter. Every reporter renders the same `PerfReport`. */
import { appendFileSync } from "node:fs";
import { makeStyle } from "../color";
import { CliError } from "../errors";
import { annotations, formatAnnotation } from "./github";
import { renderJson } from "./json";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import type { PerfReport } from "./model";
import { REPORTERS, type ReporterName } from "./names";
import { renderPretty } from "./pretty";
import { guardLines, safeForText } from "../safe-text";

export { REPORTERS, type ReporterName };

export function parseReporter(value: string | undefined): ReporterName {
  if (value === undefined) return "pretty";
  const found = REPORTERS.find((name) => name === value);
  if (!found) throw new CliError(`unknown reporter "${value}" for --reporter: expected one of ${REPORTERS.join(", ")}.`);
  return found;
}

/** Reporters whose stdout is a document another tool parses: nothing else may be printed there. */
export function isMachineReadable(name: ReporterName): boolean {
  return name === "json" || name === "junit";
}

export interface ReportSink {
  readonly stdout: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly color: boolean;
  readonly columns?: number;
}

export function emitReport(name: ReporterName, raw: PerfReport, sink: ReportSink): void {
  if (name === "json") {
    // Data for tools: the real names, control characters escaped by JSON itself.
    sink.stdout.write(renderJson(raw));
    return;
  }
  // Every text reporter renders user text (names, messages) made safe once, here (safe-text.ts).
  const report = safeForText(raw);
  switch (name) {
    // Markdown and JUnit on stdout often end up in a CI log too (printed, or not redirected).
    case "markdown":
      sink.stdout.write(guardLines(renderMarkdown(report)));
      return;
    case "junit":
      sink.stdout.write(guardLines(renderJunit(report)));
      return;
    case "github": {
      const workspace = sink.env.GITHUB_WORKSPACE;
      const lines = annotations(report, workspace || undefined).map(formatAnnotation);
      // The log keeps a readable report too; colour stays off because Actions logs are not TTYs anyway.
      sink.stdout.write(guardLines(renderPretty(report, { style: makeStyle(false) })));
      if (lines.length > 0) sink.stdout.write(lines.join("\n") + "\n");
      const summary = sink.env.GITHUB_STEP_SUMMARY;
      if (summary) {
        try {
          appendFileSync(summary, renderMarkdown(report) + "\n");
        } catch (error) {
          throw new CliError(`could not append the report to $GITHUB_STEP_SUMMARY (${summary}): ${(error as Error).message}.`);
        }
      }
      return;
    }
    case "pretty":
      // A pretty report lands in CI logs too: no line of it may read as a workflow command.
      sink.stdout.write(guardLines(renderPretty(report, { style: makeStyle(sink.color), ...(sink.columns !== undefined ? { columns: sink.columns } : {}) })));
      return;
  }
}
