/**
 * Issue 14, item 2: text from the user's code reaches terminals, CI logs, markdown and XML only as
 * text. A real project whose bench names, group names, bench file names, exception messages and timer
 * names hold workflow commands after a newline, `%0A`, lone CRs, ESC/CSI/OSC sequences, C1 controls,
 * bidi overrides, pipes, HTML and backticks is measured by the real bin (progress on a pipe and on a
 * real pseudo-terminal through `script`), then checked with every reporter.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseXml, findAll } from "../cli/xml";
import { BIN, Sandbox, transcript, type CliRun } from "./cli-harness";

/** The hostile corpus: each becomes a bench name; some also a group, an error message, a timer, a file name. */
export const HOSTILE: readonly string[] = [
  "nl\n::error::injected by a name",
  "pct%0A::error::percent-encoded",
  "mask\n::add-mask::secret",
  "stop\n::stop-commands::token",
  "legacy\n##[error]old syntax",
  "cr\rrewritten line",
  "crlf\r\n::warning::crlf",
  "esc\u001b[2J\u001b]0;retitled\u0007osc",
  "link\u001b]8;;http://example.com\u001b\\click\u001b]8;;\u001b\\",
  "c1\u009b31mcsi",
  "pipe|splits|cells",
  "<script>alert(1)</script>",
  "back`tick``s",
  "bidi\u202Eevil\u202C",
  "ls\u2028ps\u2029",
];
const FILE_NAMES = ["::error::file`name|<b>%0A.bench.ts", "plain.bench.ts"];

const sandboxes: Sandbox[] = [];
after(() => sandboxes.forEach((s) => s.remove()));

function benchSource(names: readonly string[], withExtras: boolean): string {
  const lines = [
    'import { bench, group, do_not_optimize } from "@choragen/perf/bench";',
    'import { perf } from "@choragen/perf";',
    ...names.map((n) => `bench(${JSON.stringify(n)}, () => do_not_optimize(${JSON.stringify(n)}.length));`),
  ];
  if (withExtras) {
    lines.push(
      `group(${JSON.stringify(HOSTILE[0])}, () => { bench(${JSON.stringify(HOSTILE[7])}, () => do_not_optimize(1)); });`,
      ...HOSTILE.slice(0, 6).map((n, i) => `bench("throws ${i}", () => { throw new Error("bad input: " + ${JSON.stringify(n)}); });`),
      ...HOSTILE.slice(6, 12).map(
        (n, i) => `bench("timer ${i}", () => { const t = perf.startTimer(${JSON.stringify(n)}); let s = 0; for (let k = 0; k < 200; k++) s += k; perf.assertLatency(t, { max: 1, unit: "ns" }); return do_not_optimize(s); });`,
      ),
    );
  }
  return lines.join("\n") + "\n";
}

let project: Sandbox;
let benchRun: CliRun;
let hostileCount = 0;
let latestOfFullRun = "";

before(() => {
  project = new Sandbox({
    ".choragen/performance.yaml": "benchmarks:\n  timeoutMs: 20000\nthresholds:\n  minScore: 0\n  maxViolations: 1000000\n",
    [`benchmarks/${FILE_NAMES[0]}`]: benchSource(HOSTILE.slice(0, 8), true),
    [`benchmarks/${FILE_NAMES[1]}`]: benchSource(HOSTILE.slice(8), false),
  });
  sandboxes.push(project);
  benchRun = project.run(["perf:bench", "--quick"]);
  hostileCount = HOSTILE.length * 3 + FILE_NAMES.length;
  latestOfFullRun = project.read(".choragen/results/latest.json");
});
after(() => console.log(`# cli-injection: ${hostileCount} hostile names and messages, ${HOSTILE.length} distinct strings`));

/** Lines that a CI runner would read as a command: `::`, `##[` or `##vso[` first after white space (the runner trims it). */
function commandLines(text: string): string[] {
  return text.split(/\r?\n|\r/).filter((line) => /^[\s\u0085]*(::|##\[|##vso\[)/.test(line));
}

/** What we emit on purpose: a GitHub annotation with our properties, its data on one line. */
const OUR_ANNOTATION = /^::(error|warning|notice)( (file|line|col|title)=[^,:\r\n]*(,(file|line|col|title)=[^,:\r\n]*)*)?::[^\r\n]*$/;

function assertNoControl(text: string, what: string, colored: boolean): void {
  let rest = text;
  // Ours: colour (SGR with one number) on a terminal, and the progress line's "\r ESC[2K" on a TTY.
  /* eslint-disable no-control-regex */
  if (colored) rest = rest.replace(/\u001b\[\d{1,2}m/g, "");
  rest = rest.replace(/\r\u001b\[2K/g, "");
  const bad = /[\u001b\u0080-\u009f\u0007\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\r(?!\n)/.exec(rest);
  /* eslint-enable no-control-regex */
  assert.equal(bad, null, `${what}: a raw control character U+${(bad?.[0].charCodeAt(0) ?? 0).toString(16)} reached the output near ${JSON.stringify(rest.slice(Math.max(0, (bad?.index ?? 0) - 40), (bad?.index ?? 0) + 40))}`);
}

function assertNoInjectedCommand(text: string, what: string, ours: RegExp | null): void {
  for (const line of commandLines(text)) {
    assert.ok(ours !== null && ours.test(line), `${what}: a line reads as a workflow command the tool did not mean to emit: ${JSON.stringify(line)}`);
  }
}

describe("2. hostile names and messages in every output", () => {
  it("the run measured the hostile benches and recorded the hostile failures (so the outputs below hold them)", () => {
    assert.ok(benchRun.code === 1 || benchRun.code === 0, transcript(benchRun));
    const latest = JSON.parse(project.read(".choragen/results/latest.json")) as { results: { id: string; error?: string }[]; violations: unknown[] };
    const ids = latest.results.map((r) => r.id);
    for (const name of HOSTILE) assert.ok(ids.includes(name), `bench ${JSON.stringify(name)} missing from the results\n${transcript(benchRun)}`);
    assert.ok(latest.results.some((r) => r.error?.includes("::error::injected")), "a thrown message with the hostile text");
    assert.ok(latest.violations.length > 0, "timer violations with hostile names");
  });

  it("progress on a pipe (a CI log): no workflow command, no control character", () => {
    assertNoInjectedCommand(benchRun.stderr, "progress", null);
    assertNoControl(benchRun.stderr, "progress", false);
    assertNoInjectedCommand(benchRun.stdout, "pretty report of perf:bench", null);
    assertNoControl(benchRun.stdout, "pretty report of perf:bench", false);
  });

  it("progress and report on a real terminal (script(1) gives a pseudo-terminal): only our own escape sequences", () => {
    const run = spawnSync("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} perf:bench --quick --filter ${JSON.stringify("^(nl|esc|cr|pipe|back|throws|timer)")}`, "/dev/null"], {
      cwd: project.dir,
      env: project.env({ TERM: "xterm", COLUMNS: "200" }),
      encoding: "utf8",
      timeout: 180_000,
      input: "",
    });
    // The filtered run replaced the results the reporter cases below read: put them back.
    project.write(".choragen/results/latest.json", latestOfFullRun);
    const out = (result: typeof run): string => `${result.stdout}\n${result.stderr}`;
    assert.equal(run.error, undefined, String(run.error));
    // eslint-disable-next-line no-control-regex
    assert.match(run.stdout, /\r\u001b\[2K/, `no live status line: not a terminal?\n${out(run)}`);
    assertNoControl(run.stdout.replace(/\r\n/g, "\n"), "terminal", true);
    assertNoInjectedCommand(run.stdout, "terminal", null);
  });

  const reporters = ["pretty", "github", "markdown", "junit", "json"] as const;
  for (const reporter of reporters) {
    it(`perf:check --reporter ${reporter}: nothing injected${reporter === "json" ? " (the names kept exactly)" : ""}`, () => {
      const summary = path.join(project.outer, `summary-${reporter}.md`);
      fs.writeFileSync(summary, "");
      const env: Record<string, string> = reporter === "github" ? { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: project.dir, GITHUB_STEP_SUMMARY: summary } : {};
      const run = project.run(["perf:check", "--reporter", reporter], { env });
      assert.ok(run.code === 0 || run.code === 1, transcript(run));
      assertNoControl(run.stdout, reporter, false);
      assertNoControl(run.stderr, `${reporter} stderr`, false);
      assertNoInjectedCommand(run.stderr, `${reporter} stderr`, null);
      assertNoInjectedCommand(run.stdout, reporter, reporter === "github" ? OUR_ANNOTATION : null);
      if (reporter === "github") {
        assert.ok(commandLines(run.stdout).length > 0, "the github reporter emitted its annotations");
        checkMarkdown(fs.readFileSync(summary, "utf8"), "step summary");
      }
      if (reporter === "markdown") checkMarkdown(run.stdout, "markdown");
      if (reporter === "junit") {
        const root = parseXml(run.stdout);
        const names = findAll(root, "testcase").map((c) => c.attributes["name"] ?? "");
        assert.ok(names.some((n) => n.includes("pipe|splits|cells")), "names readable in JUnit");
      }
      if (reporter === "json") {
        const report = JSON.parse(run.stdout) as { benches: { id: string }[] };
        for (const name of HOSTILE) assert.ok(report.benches.some((b) => b.id === name), `JSON keeps ${JSON.stringify(name)} exactly`);
      }
    });
  }

  it("error messages on stderr quote user text safely (a --filter value, a config file name)", () => {
    const run = project.run(["perf:bench", "--quick", "--filter", "(\n::error::bad\u001b[2J"]);
    assert.equal(run.code, 2, transcript(run));
    assertNoControl(run.stderr, "error message", false);
    assertNoInjectedCommand(run.stderr, "error message", null);
  });
});

/** The report and its JSON twin, for the expected number of table rows. */
function expectedRows(): { benches: number; violations: number; deductions: number } {
  const run = project.run(["perf:check", "--reporter", "json"]);
  const report = JSON.parse(run.stdout) as { benches: unknown[]; violationCounts: Record<string, number>; deductions: unknown[] };
  return { benches: report.benches.length, violations: Object.keys(report.violationCounts).length, deductions: report.deductions.length };
}

interface MdToken {
  readonly type: string;
  readonly content: string;
  readonly children: MdToken[] | null;
}

/** markdown-it (CommonMark with GitHub's tables), when the devDependency is installed. */
function markdownIt(): { parse(src: string, env: object): MdToken[] } | undefined {
  try {
    const MarkdownIt = require("markdown-it") as new (options?: object) => { parse(src: string, env: object): MdToken[] };
    return new MarkdownIt({ html: true });
  } catch {
    return undefined;
  }
}

function checkMarkdown(text: string, what: string): void {
  const want = expectedRows();
  const expected = [want.benches, ...(want.violations > 0 ? [want.violations] : []), ...(want.deductions > 0 ? [want.deductions] : [])];
  const md = markdownIt();
  if (md !== undefined) {
    const tokens = md.parse(text, {});
    const bodies: number[] = [];
    let rows = -1;
    for (const t of tokens) {
      if (t.type === "tbody_open") rows = 0;
      else if (t.type === "tr_open" && rows >= 0) rows++;
      else if (t.type === "tbody_close") {
        bodies.push(rows);
        rows = -1;
      }
    }
    assert.deepEqual(bodies, expected, `${what}: table rows (markdown-it) differ from the report's\n${text}`);
    const html = tokens.flatMap((t) => [t, ...(t.children ?? [])]).filter((t) => t.type === "html_inline" || t.type === "html_block");
    assert.deepEqual(html.map((t) => t.content), [], `${what}: raw HTML passed into the markdown`);
  } else {
    // Without a parser: GitHub-flavoured tables split rows at line ends and cells at unescaped pipes.
    const tables: string[][] = [];
    let current: string[] | null = null;
    for (const line of text.split(/\r\n|\r|\n/)) {
      if (line.startsWith("|")) (current ??= []).push(line);
      else if (current !== null) {
        tables.push(current);
        current = null;
      }
    }
    if (current !== null) tables.push(current);
    assert.deepEqual(tables.map((t) => t.length - 2), expected, `${what}: table rows differ from the report's\n${text}`);
    for (const table of tables) {
      const cells = (line: string): number => line.split(/(?<!\\)\|/).length;
      for (const line of table) assert.equal(cells(line), cells(table[0]!), `${what}: a row with a different number of cells: ${line}`);
    }
    assert.doesNotMatch(withoutCodeSpans(text), /(?<!\\)<[a-z/!?]/i, `${what}: raw HTML outside code spans`);
  }
}

/** Markdown without its code spans (a run of n backticks up to the next run of exactly n), for the fallback check. */
function withoutCodeSpans(text: string): string {
  // Backslash escapes first: an escaped backtick opens no code span, an escaped "<" opens no tag.
  return text.replace(/\\[\s\S]/g, "").replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
}
