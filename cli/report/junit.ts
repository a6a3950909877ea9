/**
 * JUnit XML, the format every CI test view reads. Three suites: one test case per bench (budget,
 * regression, crash), one per violated contract, and the overall gate (score, violation count,
 * the program's exit code), so a failing build shows the culprit by name in the CI UI.
 */
import { benchStatus, groupLocation, reportViolationGroups, type BenchRow, type PerfReport } from "./model";
import { failureLocation, failureSummary } from "./failure-text";
import { formatInUnit, formatNs, formatP, formatPct } from "./units";

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly failure?: { readonly type: string; readonly message: string; readonly body: string };
  readonly error?: { readonly type: string; readonly message: string; readonly body: string };
  readonly output?: string;
}

export function renderJunit(report: PerfReport): string {
  const suites: { readonly name: string; readonly cases: readonly Case[] }[] = [
    { name: "choragen benchmarks", cases: report.benches.map(benchCase).concat(report.fileFailures.map(fileFailureCase)) },
    { name: "choragen contracts", cases: contractCases(report) },
    { name: "choragen gate", cases: [gateCase(report)] },
  ];
  const total = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failure).length, 0);
  const errors = suites.reduce((n, s) => n + s.cases.filter((c) => c.error).length, 0);

  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="choragen ${attr(report.command)}" tests="${total}" failures="${failures}" errors="${errors}">`);
  for (const suite of suites) {
    const f = suite.cases.filter((c) => c.failure).length;
    const e = suite.cases.filter((c) => c.error).length;
    out.push(`  <testsuite name="${attr(suite.name)}" tests="${suite.cases.length}" failures="${f}" errors="${e}" skipped="0" timestamp="${attr(report.generatedAt)}">`);
    for (const c of suite.cases) out.push(...renderCase(c));
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

function renderCase(c: Case): string[] {
  const open = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}"`;
  const children: string[] = [];
  if (c.failure) children.push(`      <failure type="${attr(c.failure.type)}" message="${attr(c.failure.message)}">${text(c.failure.body)}</failure>`);
  if (c.error) children.push(`      <error type="${attr(c.error.type)}" message="${attr(c.error.message)}">${text(c.error.body)}</error>`);
  if (c.output) children.push(`      <system-out>${text(c.output)}</system-out>`);
  if (children.length === 0) return [`${open}/>`];
  return [`${open}>`, ...children, "    </testcase>"];
}

function benchCase(row: BenchRow): Case {
  const base = { classname: row.file, name: row.id };
  const stats = row.result.stats;
  if (!stats) {
    const message = row.result.timedOut ? "timed out" : (row.result.error ?? "failed");
    return { ...base, error: { type: row.result.timedOut ? "timeout" : "bench-error", message: firstLine(message), body: message } };
  }
  const summary = `p50 ${formatNs(stats.p50)}, p99 ${formatNs(stats.p99)}, min ${formatNs(stats.min)}, max ${formatNs(stats.max)}, ${stats.samples} samples`;
  const status = benchStatus(row);
  if (status === "over-budget") {
    const failed = row.budgetChecks.filter((c) => !c.passed);
    const lines = failed.map((c) => `${c.metric} ${formatInUnit(c.measured, c.unit)} > ${formatInUnit(c.max, c.unit)}`);
    return { ...base, failure: { type: "budget", message: `over budget: ${lines.join("; ")}`, body: `${lines.join("\n")}\n${summary}` }, output: summary };
  }
  if (status === "regression" && row.comparison) {
    const c = row.comparison;
    const message = `regression: fastest time ${formatPct(c.changePct)} vs baseline (${c.pValue === undefined ? "no p-value" : formatP(c.pValue)})`;
    return { ...base, failure: { type: "regression", message, body: `${message}\n${summary}` }, output: summary };
  }
  if (status === "slower-not-counted" && row.comparison) {
    // Passed, as the verdict says; the note keeps the reading visible.
    const note = `slower, not counted: fastest time ${formatPct(row.comparison.changePct)} vs baseline (${row.comparison.pValue === undefined ? "no p-value" : formatP(row.comparison.pValue)}); see the warnings`;
    return { ...base, output: `${summary}\n${note}` };
  }
  return { ...base, output: summary };
}

function fileFailureCase(failure: PerfReport["fileFailures"][number]): Case {
  const location = failureLocation(failure);
  return {
    classname: failure.file,
    name: `${failure.file} (${failure.kind})`,
    error: { type: failure.kind, message: `${location}: ${failureSummary(failure, location)}`, body: failure.message },
  };
}

/** One case per contract, so a contract violated a thousand times is one red line, not a thousand. */
function contractCases(report: PerfReport): Case[] {
  return reportViolationGroups(report).map((g) => {
    const where = groupLocation(g) || "unknown location";
    const message = `${g.kind} ${formatInUnit(g.worst, g.unit)} > ${formatInUnit(g.threshold, g.unit)}${g.count > 1 ? ` (worst of ${g.count} violations)` : ""} at ${where}`;
    const body = g.violations
      .slice(0, 50)
      .map((v) => `${new Date(v.timestamp).toISOString()} ${formatInUnit(v.measured, v.unit)} > ${formatInUnit(v.threshold, v.unit)}`)
      .join("\n");
    return { classname: g.file || "contracts", name: g.target, failure: { type: "contract", message, body } };
  });
}

function gateCase(report: PerfReport): Case {
  const name = `score ${report.score}/100 (min ${report.minScore})`;
  const deductions = report.deductions.map((d) => `−${d.points} ${d.kind}: ${d.reason}`).join("\n");
  const warnings = report.warnings.map((w) => `warning: ${w}`).join("\n");
  if (report.passed) return { classname: "choragen", name, output: [deductions || "no deductions", warnings].filter((t) => t !== "").join("\n") };
  return {
    classname: "choragen",
    name,
    failure: { type: "gate", message: report.failures.join("; ") || "check failed", body: `${report.failures.join("\n")}\n\n${deductions}` },
  };
}

// XML 1.0 forbids most control characters even when escaped; test names come from user code.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(value: string): string {
  return value.replace(INVALID_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(value: string): string {
  return text(value).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

function firstLine(value: string): string {
  return value.split("\n", 1)[0] ?? "";
}
