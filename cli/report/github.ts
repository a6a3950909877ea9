/**
 * GitHub Actions: workflow-command annotations (they show on the PR's changed lines) for everything
 * that has a location, and the markdown report appended to the job summary.
 * https://docs.github.com/actions/using-workflow-commands-for-github-actions
 */
import { isAbsolute, join, relative, sep } from "node:path";
import { benchStatus, reportViolationGroups, type PerfReport } from "./model";
import { failureLocation, withoutLocation } from "./failure-text";
import { formatInUnit, formatP, formatPct } from "./units";

export interface Annotation {
  readonly level: "error" | "warning" | "notice";
  readonly title: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
}

/** Annotations for a report; paths relative to the workspace when given (GitHub resolves from there). */
export function annotations(report: PerfReport, workspace?: string): Annotation[] {
  const path = (file: string): string => {
    if (!workspace) return file;
    const absolute = isAbsolute(file) ? file : join(report.root, file);
    return relative(workspace, absolute).split(sep).join("/");
  };
  const out: Annotation[] = [];
  for (const g of reportViolationGroups(report)) {
    const measured = `${formatInUnit(g.worst, g.unit)} > ${formatInUnit(g.threshold, g.unit)}`;
    const times = g.count > 1 ? ` (worst of ${g.count} violations)` : "";
    out.push({
      level: "error",
      title: "Performance contract violated",
      message: `${g.target}: ${g.kind}${g.percentile !== undefined ? ` p${g.percentile}` : ""} ${measured}${times}`,
      ...(g.file ? { file: path(g.file) } : {}),
      ...(g.file && g.line > 0 ? { line: g.line } : {}),
    });
  }
  for (const row of report.benches) {
    const status = benchStatus(row);
    if (status === "over-budget") {
      const failed = row.budgetChecks.filter((c) => !c.passed);
      const detail = failed.map((c) => `${c.metric} ${formatInUnit(c.measured, c.unit)} > ${formatInUnit(c.max, c.unit)}`).join("; ");
      out.push({ level: "error", title: "Benchmark over budget", message: `${row.id}: ${detail}`, file: path(row.file) });
    } else if (status === "regression" && row.comparison) {
      out.push({
        level: "error",
        title: "Benchmark regression",
        message: `${row.id}: fastest time ${formatPct(row.comparison.changePct)} vs baseline (${row.comparison.pValue === undefined ? "no p-value" : formatP(row.comparison.pValue)})`,
        file: path(row.file),
      });
    } else if (status === "slower-not-counted" && row.comparison) {
      // The verdict passed it (a --quick run, a baseline from another machine): a warning, never an error.
      out.push({
        level: "warning",
        title: "Benchmark slower (not counted)",
        message: `${row.id}: fastest time ${formatPct(row.comparison.changePct)} vs baseline (${row.comparison.pValue === undefined ? "no p-value" : formatP(row.comparison.pValue)}); not counted, see the report's warnings`,
        file: path(row.file),
      });
    } else if (status === "error") {
      out.push({ level: "error", title: "Benchmark failed", message: `${row.id}: ${row.result.timedOut ? "timed out" : (row.result.error ?? "failed")}`, file: path(row.file) });
    }
  }
  for (const f of report.fileFailures) {
    out.push({
      level: "error",
      title: `Bench file could not run (${f.kind})`,
      // The annotation carries the location: the message need not start with it as well.
      message: withoutLocation(f.message, failureLocation(f)),
      file: path(f.file),
      ...(f.line !== undefined ? { line: f.line } : {}),
      ...(f.column !== undefined ? { col: f.column } : {}),
    });
  }
  // One annotation for the verdict: the reasons above already have their own, and Actions shows
  // only the first few annotations of a step.
  if (!report.passed) {
    out.push({ level: "error", title: `choragen ${report.command} failed (score ${report.score}/100)`, message: report.failures.join("\n") });
  }
  for (const warning of report.warnings) out.push({ level: "warning", title: "choragen", message: warning });
  return out;
}

export function formatAnnotation(a: Annotation): string {
  const props: string[] = [];
  if (a.file !== undefined) props.push(`file=${escapeProperty(a.file)}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.col !== undefined) props.push(`col=${a.col}`);
  props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level} ${props.join(",")}::${escapeData(a.message)}`;
}

function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
