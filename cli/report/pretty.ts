/** The terminal report: a table of benches, then violations, then the score and why. */
import { type Style } from "../color";
import { failureLocation, failureSummary } from "./failure-text";
import { axisFor, axisLegend, boxplot, type Spread } from "./boxplot";
import { benchStatus, describeCommand, groupLocation, reportViolationGroups, violationsHeading, type BenchRow, type PerfReport } from "./model";
import { renderTable, tableWidth, type Column } from "./table";
import { AGAINST_HEADERS, againstCells, againstFacts, againstTitle, changeText } from "./against";
import { formatBytes, formatInUnit, formatNs } from "./units";
import { REASON_SAYS } from "./words";

export interface PrettyOptions {
  readonly style: Style;
  /** Terminal width; the spread column is dropped when the table would not fit. */
  readonly columns?: number;
}

const SPREAD_WIDTH = 24;

export function renderPretty(report: PerfReport, options: PrettyOptions): string {
  const { style } = options;
  const out: string[] = [];
  out.push(header(report, style));

  if (report.benches.length > 0) {
    out.push("", ...benchTable(report.benches, options, report.against?.ref));
  } else {
    out.push("", style.dim("  no benchmarks ran"));
  }

  if (report.against) {
    const a = report.against;
    out.push("", `${style.bold(`Side by side ${againstTitle(a)}`)}  ${style.dim(againstFacts(a))}`);
    const columns: Column[] = AGAINST_HEADERS(a.ref).map((header, i) => ({ header, align: i === 0 || i === 8 ? "left" : "right" }));
    const lines = renderTable(columns, a.benches.map(againstCells));
    out.push(style.dim(lines[0] ?? ""), ...lines.slice(1));
    if (a.dependencyNote) out.push(style.dim(`  ${a.dependencyNote}`));
  }

  if (report.fileFailures.length > 0) {
    out.push("", style.bold("Bench files that could not run"));
    for (const failure of report.fileFailures) {
      const location = failureLocation(failure);
      out.push(`  ${style.red("✗")} ${location} ${style.dim(`(${failure.kind})`)} ${failureSummary(failure, location)}`);
    }
  }

  if (report.run) {
    const run = report.run;
    const status =
      run.signal !== null ? style.red(`killed by ${run.signal}`) : run.exitCode === 0 ? style.green("exit 0") : style.red(`exit ${String(run.exitCode)}`);
    const what = run.contracts > 0
      ? `${run.contracts} contract${run.contracts === 1 ? "" : "s"} armed, ${run.violations} violation${run.violations === 1 ? "" : "s"}`
      : run.runtimeRealms !== undefined && run.runtimeRealms > 0
        ? "no contracts armed (@choragen/perf loaded, no annotated code)"
        : run.processes !== undefined
          ? `no contracts armed (${run.processes} Node.js process${run.processes === 1 ? "" : "es"} started, none loaded @choragen/perf)`
          : "no contracts armed (the program wrote no report)";
    out.push("", `${style.bold("Program")} ${describeCommand(run.argv)}  ${status}  ${style.dim(`${(run.durationMs / 1000).toFixed(1)} s · ${what}`)}`);
  }

  if (report.violations.length > 0) {
    const groups = reportViolationGroups(report);
    out.push("", style.bold(violationsHeading(report, groups)));
    const rows = groups.map((g) => [
      `${style.red("✗")} ${g.target}`,
      `${g.kind}${g.percentile !== undefined ? ` p${g.percentile}` : ""}`,
      `${g.count > 1 ? "worst " : ""}${formatInUnit(g.worst, g.unit)} > ${formatInUnit(g.threshold, g.unit)}`,
      g.count > 1 ? `×${g.count}` : "",
      style.dim(groupLocation(g)),
    ]);
    const columns: Column[] = [
      { header: "", align: "left" },
      { header: "", align: "left" },
      { header: "", align: "right" },
      { header: "", align: "right" },
      { header: "", align: "left" },
    ];
    const repeated = groups.some((g) => g.count > 1);
    const shown = repeated ? { columns, rows } : { columns: columns.filter((_, i) => i !== 3), rows: rows.map((row) => row.filter((_, i) => i !== 3)) };
    out.push(...renderTable(shown.columns, shown.rows).slice(1));
  }

  out.push("", ...scoreSection(report, style));
  return out.join("\n") + "\n";
}

function header(report: PerfReport, style: Style): string {
  const parts = [`${report.benches.length} bench${report.benches.length === 1 ? "" : "es"}`];
  if (report.quick) parts.push(style.yellow("quick mode"));
  parts.push(report.against ? againstTitle(report.against) : report.baseline ? `baseline: ${report.baseline.source}` : "no baseline");
  parts.push(report.configFile ?? "default config");
  return `${style.bold(`choragen ${report.command}`)}  ${style.dim(parts.join(" · "))}`;
}

function benchTable(benches: readonly BenchRow[], options: PrettyOptions, against?: string): string[] {
  const { style } = options;
  const spreads: Spread[] = benches.flatMap((row) => (row.result.stats ? [row.result.stats] : []));
  const axis = axisFor(spreads, SPREAD_WIDTH);
  const files = new Set(benches.map((row) => row.file));
  const showFile = files.size > 1;

  const rows = benches.map((row) => benchCells(row, style, axis));
  const columns: Column[] = [
    { header: "bench", align: "left" },
    { header: "p50", align: "right" },
    { header: "p99", align: "right" },
    { header: "heap/iter", align: "right" },
    { header: against === undefined ? "vs baseline" : `vs ${against}`, align: "left" },
    { header: "budget", align: "left" },
    { header: "min ├─ p50 ● ━ p99 ┫ ·· max", align: "left" },
  ];
  const full = renderTable(columns, rows);
  const fits = options.columns === undefined || tableWidth(full) <= options.columns;
  const withSpread = axis !== null && fits;
  const lines = withSpread ? full : renderTable(columns.slice(0, -1), rows.map((row) => row.slice(0, -1)));

  const out: string[] = [];
  const headerLine = lines[0] ?? "";
  out.push(style.dim(headerLine));
  benches.forEach((row, i) => {
    if (showFile && (i === 0 || benches[i - 1]?.file !== row.file)) out.push(style.cyan(`  ${row.file}`));
    out.push(lines[i + 1] ?? "");
  });
  if (withSpread && axis) {
    // The last column is not padded, so it starts where the header line ends minus its own title.
    const legendIndent = tableWidth([headerLine]) - visibleWidthOfLastHeader(columns);
    out.push(style.dim(" ".repeat(Math.max(0, legendIndent)) + axisLegend(axis, formatNs) + "  (log scale)"));
  }
  for (const row of benches) {
    if (!row.result.stats && row.result.error) out.push(`  ${style.red("✗")} ${row.id}: ${firstLine(row.result.error)}`);
  }
  return out;
}

function visibleWidthOfLastHeader(columns: readonly Column[]): number {
  return columns[columns.length - 1]?.header.length ?? 0;
}

function benchCells(row: BenchRow, style: Style, axis: ReturnType<typeof axisFor>): string[] {
  const stats = row.result.stats;
  const status = benchStatus(row);
  const mark = status === "ok" ? style.green("✓") : status === "slower-not-counted" ? style.yellow("!") : style.red("✗");
  const name = `${mark} ${row.id}`;
  if (!stats) {
    const why = row.result.timedOut ? "timed out" : "failed";
    return [name, style.red(why), "", "", "", "", ""];
  }
  return [
    name,
    formatNs(stats.p50),
    formatNs(stats.p99),
    stats.heapPerIter !== undefined ? formatBytes(stats.heapPerIter) : style.dim("–"),
    changeCell(row, style),
    budgetCell(row, style),
    axis ? boxplot(axis, stats) : "",
  ];
}

function changeCell(row: BenchRow, style: Style): string {
  const c = row.comparison;
  if (!c) return style.dim("–");
  if (c.verdict === "new") return style.dim("new");
  const text = changeText(c);
  switch (c.verdict) {
    case "regression":
      // Red only when the verdict counted it; otherwise the warnings say why it is not.
      return row.regressionCounted ? style.red(`▲ ${text}`) : style.yellow(`▲ ${text}`);
    case "improvement":
      return style.green(`▼ ${text}`);
    default:
      return style.dim(`~ ${text}`);
  }
}

function budgetCell(row: BenchRow, style: Style): string {
  const checks = row.budgetChecks;
  if (checks.length === 0) return style.dim("–");
  const failed = checks.filter((check) => !check.passed);
  const first = failed[0];
  if (first) {
    const more = failed.length > 1 ? ` +${failed.length - 1}` : "";
    return style.red(`✗ ${first.metric} ${formatInUnit(first.measured, first.unit)} > ${formatInUnit(first.max, first.unit)}${more}`);
  }
  const only = checks[0];
  if (checks.length === 1 && only) return style.green(`✓ ${only.metric} ≤ ${formatInUnit(only.max, only.unit)}`);
  return style.green(`✓ ${checks.length} budgets`);
}

function scoreSection(report: PerfReport, style: Style): string[] {
  const out: string[] = [];
  const verdict = report.passed ? style.green(style.bold("PASS")) : style.red(style.bold("FAIL"));
  out.push(`${style.bold("Score")} ${style.bold(String(report.score))}/100 ${style.dim(`(min ${report.minScore})`)}  ${verdict}`);
  if (report.deductions.length === 0) {
    out.push(style.dim("  no deductions"));
  } else {
    const width = Math.max(...report.deductions.map((d) => formatPoints(d.points).length));
    for (const d of report.deductions) {
      // What the reason already says (its place, its kind) is not said twice.
      const says = REASON_SAYS[d.kind];
      const where = d.file && !says.place ? style.dim(`  ${d.file}${d.line !== undefined && d.line > 0 ? `:${d.line}` : ""}`) : "";
      const kind = says.kind ? "" : `${style.dim(`${d.kind}:`)} `;
      out.push(`  ${style.red(formatPoints(d.points).padStart(width))}  ${kind}${d.reason}${where}`);
    }
  }
  for (const failure of report.failures) out.push(`  ${style.red("✗")} ${failure}`);
  for (const warning of report.warnings) out.push(`  ${style.yellow("!")} ${warning}`);
  return out;
}

function formatPoints(points: number): string {
  return `−${Number.isInteger(points) ? points : points.toFixed(1)}`;
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}
