/** Markdown for a CI job summary or a PR comment: GitHub-flavoured tables, no colour. */
import { failureLocation, failureSummary } from "./failure-text";
import { benchStatus, describeCommand, groupLocation, reportViolationGroups, violationsHeading, type BenchRow, type PerfReport } from "./model";
import { AGAINST_HEADERS, againstCells, againstFacts, againstTitle, changeText } from "./against";
import { formatBytes, formatInUnit, formatNs } from "./units";
import { markdownCode, markdownText } from "../safe-text";

export function renderMarkdown(report: PerfReport): string {
  const out: string[] = [];
  const verdict = report.passed ? "✅ pass" : "❌ fail";
  out.push(`## choragen ${report.command}: ${verdict}, score ${report.score}/100 (min ${report.minScore})`, "");
  const facts = [`${report.benches.length} bench${report.benches.length === 1 ? "" : "es"}`];
  if (report.quick) facts.push("quick mode");
  facts.push(report.against ? againstTitle(report.against) : report.baseline ? `baseline: ${report.baseline.source}` : "no baseline");
  facts.push(`${report.machine.cpu}, node ${report.machine.node}`);
  out.push(facts.map(cell).join(" · "), "");

  if (report.benches.length > 0) {
    out.push(`| | bench | p50 | p99 | heap/iter | ${report.against ? `vs ${cell(report.against.ref)}` : "vs baseline"} | budget |`, "|---|---|---:|---:|---:|---|---|");
    for (const row of report.benches) out.push(benchRow(row));
    out.push("");
  }

  if (report.against) {
    const a = report.against;
    out.push(`### Side by side ${cell(againstTitle(a))}`, "", cell(againstFacts(a)), "");
    out.push(`| ${AGAINST_HEADERS(a.ref).map(cell).join(" | ")} |`, "|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (const row of a.benches) out.push(`| ${againstCells(row).map(cell).join(" | ")} |`);
    out.push("");
    if (a.dependencyNote) out.push(cell(a.dependencyNote), "");
  }

  if (report.fileFailures.length > 0) {
    out.push("### Bench files that could not run", "");
    for (const f of report.fileFailures) {
      const location = failureLocation(f);
      out.push(`- ${markdownCode(location, false)} (${f.kind}): ${cell(failureSummary(f, location))}`);
    }
    out.push("");
  }

  if (report.run) {
    const run = report.run;
    const status = run.signal !== null ? `killed by ${run.signal}` : `exit code ${String(run.exitCode)}`;
    out.push(`**Program** ${markdownCode(describeCommand(run.argv), false)}: ${status}, ${run.contracts} contract${run.contracts === 1 ? "" : "s"} armed, ${run.violations} violation${run.violations === 1 ? "" : "s"}`, "");
  }

  if (report.violations.length > 0) {
    const groups = reportViolationGroups(report);
    out.push(`### ${violationsHeading(report, groups)}`, "", "| target | kind | worst | budget | count | where |", "|---|---|---:|---:|---:|---|");
    for (const g of groups) {
      const where = g.file ? markdownCode(groupLocation(g), true) : "";
      const kind = g.percentile !== undefined ? `${g.kind} p${g.percentile}` : g.kind;
      out.push(`| ${cell(g.target)} | ${kind} | ${formatInUnit(g.worst, g.unit)} | ${formatInUnit(g.threshold, g.unit)} | ${g.count} | ${where} |`);
    }
    out.push("");
  }

  out.push("### Score", "");
  if (report.deductions.length === 0) {
    out.push("No deductions.", "");
  } else {
    out.push("| points | kind | reason |", "|---:|---|---|");
    for (const d of report.deductions) out.push(`| −${d.points} | ${d.kind} | ${cell(d.reason)} |`);
    out.push("");
  }
  for (const failure of report.failures) out.push(`- ❌ ${cell(failure)}`);
  for (const warning of report.warnings) out.push(`- ⚠️ ${cell(warning)}`);
  if (report.failures.length > 0 || report.warnings.length > 0) out.push("");
  return out.join("\n");
}

function benchRow(row: BenchRow): string {
  const status = benchStatus(row);
  const mark = status === "ok" ? "✅" : status === "slower-not-counted" ? "⚠️" : "❌";
  const stats = row.result.stats;
  if (!stats) {
    const why = row.result.timedOut ? "timed out" : `failed: ${firstLine(row.result.error ?? "")}`;
    return `| ${mark} | ${cell(row.id)} | | | | | ${cell(why)} |`;
  }
  const change = !row.comparison
    ? "–"
    : row.comparison.verdict === "new"
      ? "new"
      : `${row.comparison.verdict === "regression" ? (row.regressionCounted ? "🔺 " : "⚠️ ") : row.comparison.verdict === "improvement" ? "🔻 " : ""}${cell(changeText(row.comparison))}`;
  const budget =
    row.budgetChecks.length === 0
      ? "–"
      : row.budgetChecks
          .map((c) => `${c.passed ? "" : "**"}${c.metric} ${formatInUnit(c.measured, c.unit)} ${c.passed ? "≤" : ">"} ${formatInUnit(c.max, c.unit)}${c.passed ? "" : "**"}`)
          .join("<br>");
  const heap = stats.heapPerIter !== undefined ? formatBytes(stats.heapPerIter) : "–";
  return `| ${mark} | ${cell(row.id)} | ${formatNs(stats.p50)} | ${formatNs(stats.p99)} | ${heap} | ${change} | ${budget} |`;
}

/** User text in a cell or list item: on one line, nothing in it read as markdown or HTML. */
function cell(text: string): string {
  return markdownText(text);
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}
