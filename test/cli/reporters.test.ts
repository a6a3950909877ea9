/** Every reporter's output, parsed back: the same stored results and violations through each format. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { choragen, FIXTURES, makeProject, transcript, type TempProject } from "./helpers";
import { findAll, parseXml } from "./xml";

const projects: TempProject[] = [];
after(() => projects.forEach((p) => p.cleanup()));

/** Stored results with one bench over budget and one collected violation with a location. */
function failingProject(): TempProject {
  const project = makeProject({
    fixture: "stored",
    files: {
      ".choragen/performance.yaml": 'benchmarks:\n  budgets:\n    "parse 1 KB": { p99: { max: 1, unit: ms } }\n',
      ".choragen/results/violations.json": JSON.stringify({
        schemaVersion: 1,
        collectedAt: "2025-01-15T10:05:00.000Z",
        run: { argv: ["node", "load.js"], exitCode: 0, signal: null, reportWritten: true, contracts: 1, violations: 1, durationMs: 800 },
        contracts: [],
        violations: [
          {
            contractId: "src/search.ts#search<&>",
            kind: "latency",
            target: 'search<&>"',
            file: "src/search.ts",
            line: 7,
            measured: 12.25,
            threshold: 5,
            unit: "ms",
            timestamp: 1736935200000,
            context: { origin: "wrapper", async: false, pid: 1 },
          },
        ],
      }),
    },
  });
  projects.push(project);
  return project;
}

interface JsonReport {
  schemaVersion: number;
  command: string;
  passed: boolean;
  score: number;
  minScore: number;
  failures: string[];
  deductions: { kind: string; points: number; reason: string }[];
  benches: { id: string; budgetChecks: { metric: string; passed: boolean }[] }[];
  violations: { target: string }[];
  run?: { argv: string[] };
}

describe("reporters", () => {
  it("json: one document that parses and tells the whole outcome", () => {
    const project = failingProject();
    const run = choragen(project.dir, ["perf:check", "--reporter", "json"]);
    assert.equal(run.code, 1, transcript(run));
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.command, "perf:check");
    assert.equal(report.passed, false);
    assert.ok(report.score >= 0 && report.score <= 100);
    assert.deepEqual(report.benches.map((b) => b.id).sort(), ["json/stringify", "parse 1 KB"]);
    const parse = report.benches.find((b) => b.id === "parse 1 KB");
    assert.deepEqual(parse?.budgetChecks.map((c) => [c.metric, c.passed]), [["p99", false]]);
    assert.equal(report.violations[0]?.target, 'search<&>"');
    assert.deepEqual(report.run?.argv, ["node", "load.js"]);
    assert.ok(report.deductions.some((d) => d.kind === "budget" && d.points > 0));
    assert.ok(report.failures.length > 0);
  });

  it("markdown: a summary with the score and a bench table", () => {
    const project = failingProject();
    const run = choragen(project.dir, ["perf:check", "--reporter", "markdown"]);
    assert.equal(run.code, 1, transcript(run));
    assert.match(run.stdout, /^## choragen perf:check: ❌ fail, score \d+\/100 \(min 80\)/);
    const table = run.stdout.split("\n").filter((line) => line.startsWith("|"));
    const header = table.findIndex((line) => line.includes("| bench |"));
    assert.ok(header >= 0, run.stdout);
    assert.match(table[header + 1] ?? "", /^\|(-{3}|-{3}:|:?-{3}:?)(\|(-{3}|-{3}:))+\|$/);
    const columns = (line: string): number => line.replace(/\\\|/g, "").split("|").length;
    const rows = table.slice(header, header + 4);
    assert.ok(rows.every((line) => columns(line) === columns(table[header] ?? "")), rows.join("\n"));
    assert.match(run.stdout, /\*\*p99 1\.89 ms > 1 ms\*\*/);
    assert.match(run.stdout, /`src\/search\.ts:7`/);
  });

  it("junit: well-formed XML with a failing case per culprit", () => {
    const project = failingProject();
    const run = choragen(project.dir, ["perf:check", "--reporter", "junit"]);
    assert.equal(run.code, 1, transcript(run));
    const root = parseXml(run.stdout);
    assert.equal(root.name, "testsuites");
    const cases = findAll(root, "testcase");
    const failing = cases.filter((c) => c.children.some((child) => child.name === "failure"));
    const names = failing.map((c) => c.attributes["name"]);
    assert.ok(names.includes("parse 1 KB"), names.join(", "));
    assert.ok(names.includes('search<&>"'), "special characters survive escaping");
    assert.ok(!names.includes("json/stringify"));
    const total = findAll(root, "failure").length;
    assert.equal(root.attributes["failures"], String(total));
    assert.equal(root.attributes["tests"], String(cases.length));
  });

  it("junit: a passing check has no failures", () => {
    const project = makeProject({ fixture: "stored" });
    projects.push(project);
    const run = choragen(project.dir, ["perf:check", "--reporter", "junit"]);
    assert.equal(run.code, 0, transcript(run));
    const root = parseXml(run.stdout);
    assert.equal(root.attributes["failures"], "0");
    assert.equal(findAll(root, "failure").length, 0);
  });

  it("github: annotations at the violation's line, and the markdown appended to the job summary", () => {
    const project = failingProject();
    const summary = join(project.dir, "summary.md");
    writeFileSync(summary, "earlier step\n");
    const run = choragen(project.dir, ["perf:check", "--reporter", "github"], {
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_WORKSPACE: join(project.dir, ".."),
    });
    assert.equal(run.code, 1, transcript(run));
    const lines = run.stdout.split("\n");
    const folder = project.dir.split(/[\\/]/).pop() ?? "";
    const violation = lines.find((line) => line.startsWith("::error ") && line.includes("line=7"));
    assert.ok(violation, run.stdout);
    assert.ok(violation.startsWith(`::error file=${folder}/src/search.ts,line=7,`), violation);
    assert.ok(lines.some((line) => line.startsWith("::error ") && line.includes("benchmarks/parse.bench.ts") && line.includes("parse 1 KB")));
    const written = readFileSync(summary, "utf8");
    assert.ok(written.startsWith("earlier step\n"), "appends, never overwrites");
    assert.match(written, /## choragen perf:check: ❌ fail/);
  });

  it("a bench file that does not compile: each reporter names its location once", () => {
    const stored = JSON.parse(readFileSync(join(FIXTURES, "stored", ".choragen", "results", "latest.json"), "utf8")) as Record<string, unknown>;
    const typo = "benchmarks/typo.bench.ts:2:7";
    const error = "error TS2322: Type 'string' is not assignable to type 'number'.";
    const project = makeProject({
      fixture: "stored",
      files: {
        ".choragen/results/latest.json": JSON.stringify({
          ...stored,
          fileFailures: [
            // As compile.ts stores them: TypeScript's formatted diagnostics, the first one's position beside them.
            { file: "benchmarks/typo.bench.ts", kind: "compile", message: `${typo} - ${error}\nbenchmarks/typo.bench.ts:5:1 - error TS2304: Cannot find name 'x'.`, line: 2, column: 7 },
            { file: "benchmarks/odd.bench.ts", kind: "compile", message: "benchmarks/odd.bench.ts: TypeScript emitted no JavaScript for it" },
            // The error is in an imported file: its location is not the one shown, so it stays.
            { file: "benchmarks/uses-lib.bench.ts", kind: "compile", message: "src/lib.ts:4:2 - error TS2339: Property 'y' does not exist on type 'Lib'." },
          ],
        }),
      },
    });
    projects.push(project);
    const count = (text: string, part: string): number => text.split(part).length - 1;

    const pretty = choragen(project.dir, ["perf:check"]);
    assert.equal(pretty.code, 1, transcript(pretty));
    const prettyLines = pretty.stdout.split("\n");
    assert.ok(prettyLines.includes(`  ✗ ${typo} (compile) ${error}`), pretty.stdout);
    assert.equal(count(prettyLines.find((line) => line.includes("(compile)") && line.includes("typo.bench.ts")) ?? "", "typo.bench.ts"), 1);
    assert.ok(prettyLines.includes("  ✗ benchmarks/odd.bench.ts (compile) TypeScript emitted no JavaScript for it"), pretty.stdout);
    assert.ok(prettyLines.includes("  ✗ benchmarks/uses-lib.bench.ts (compile) src/lib.ts:4:2 - error TS2339: Property 'y' does not exist on type 'Lib'."), pretty.stdout);

    const markdown = choragen(project.dir, ["perf:check", "--reporter", "markdown"]).stdout;
    const markdownLines = markdown.split("\n");
    assert.ok(markdownLines.includes(`- \`${typo}\` (compile): ${error}`), markdown);
    assert.ok(markdownLines.includes("- `benchmarks/odd.bench.ts` (compile): TypeScript emitted no JavaScript for it"), markdown);
    assert.ok(markdownLines.includes("- `benchmarks/uses-lib.bench.ts` (compile): src/lib.ts:4:2 - error TS2339: Property 'y' does not exist on type 'Lib'."), markdown);

    const junit = parseXml(choragen(project.dir, ["perf:check", "--reporter", "junit"]).stdout);
    const errors = findAll(junit, "error");
    const typoError = errors.find((e) => e.attributes["message"]?.includes("typo.bench.ts"));
    assert.equal(typoError?.attributes["message"], `${typo}: ${error}`);
    assert.equal(errors.find((e) => e.attributes["message"]?.includes("odd.bench.ts"))?.attributes["message"], "benchmarks/odd.bench.ts: TypeScript emitted no JavaScript for it");

    const github = choragen(project.dir, ["perf:check", "--reporter", "github"]).stdout.split("\n");
    const annotation = github.find((line) => line.startsWith("::error file=benchmarks/typo.bench.ts,"));
    assert.equal(annotation, `::error file=benchmarks/typo.bench.ts,line=2,col=7,title=Bench file could not run (compile)::${error}%0Abenchmarks/typo.bench.ts:5:1 - error TS2304: Cannot find name 'x'.`);
    assert.ok(github.includes("::error file=benchmarks/odd.bench.ts,title=Bench file could not run (compile)::TypeScript emitted no JavaScript for it"), github.join("\n"));

    // The stored results keep TypeScript's message whole.
    const json = JSON.parse(choragen(project.dir, ["perf:check", "--reporter", "json"]).stdout) as { fileFailures: { message: string }[] };
    assert.equal(json.fileFailures[0]?.message.split("\n")[0], `${typo} - ${error}`);
  });

  it("violations not kept are still counted: per contract and in all, in every reporter", () => {
    const violation = (contractId: string, target: string, line: number, measured: number) => ({
      contractId, kind: "latency", target, file: "src/shop.ts", line, measured, threshold: 1, unit: "ms", timestamp: 1736935200000, context: {},
    });
    const stored = JSON.parse(readFileSync(join(FIXTURES, "stored", ".choragen", "results", "latest.json"), "utf8")) as Record<string, unknown>;
    const project = makeProject({
      fixture: "stored",
      files: {
        // Benches kept 3 of parse's 1 000 violations; a program kept 2 of quote's 5 000.
        ".choragen/results/latest.json": JSON.stringify({
          ...stored,
          violations: [1, 2, 3].map((i) => violation("c-parse", "parse", 35, 2 + i)),
          violationsOmitted: 997,
          violationsOmittedByContract: { "c-parse": 997 },
        }),
        ".choragen/results/violations.json": JSON.stringify({
          schemaVersion: 1,
          collectedAt: "2025-01-15T10:05:00.000Z",
          run: { argv: ["node", "load.js"], exitCode: 0, signal: null, reportWritten: true, contracts: 1, violations: 5000, durationMs: 800 },
          contracts: [{ contractId: "c-quote", kind: "latency", target: "quote", file: "src/shop.ts", line: 50, threshold: 1, unit: "ms", violations: 5000, worst: 9 }],
          violations: [violation("c-quote", "quote", 50, 8), violation("c-quote", "quote", 50, 9)],
        }),
      },
    });
    projects.push(project);
    const json = JSON.parse(choragen(project.dir, ["perf:check", "--reporter", "json"]).stdout) as JsonReport & { violationTotal: number; violationCounts: Record<string, number> };
    assert.equal(json.violationTotal, 6000);
    assert.deepEqual({ ...json.violationCounts }, { "c-parse": 1000, "c-quote": 5000 });
    assert.equal(json.violations.length, 5);
    assert.ok(json.failures.includes("6000 contract violations, more than thresholds.maxViolations (0)"), json.failures.join("\n"));
    assert.ok(json.deductions.some((d) => d.reason.startsWith("parse (src/shop.ts:35): 1000 latency violations")));
    assert.ok(json.deductions.some((d) => d.reason.startsWith("quote (src/shop.ts:50): 5000 latency violations")));

    const pretty = choragen(project.dir, ["perf:check"]).stdout;
    assert.match(pretty, /Contract violations \(6000 in 2 contracts, 5 kept\)/);
    assert.match(pretty, /✗ parse .*×1000/);
    assert.match(pretty, /✗ quote .*×5000/);
    const markdown = choragen(project.dir, ["perf:check", "--reporter", "markdown"]).stdout;
    assert.match(markdown, /### Contract violations \(6000 in 2 contracts, 5 kept\)/);
    assert.match(markdown, /\| parse \| latency \| 5 ms \| 1 ms \| 1000 \|/);
    const junit = choragen(project.dir, ["perf:check", "--reporter", "junit"]).stdout;
    assert.match(junit, /worst of 5000 violations/);
  });
});
