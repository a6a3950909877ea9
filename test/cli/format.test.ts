/** The pure pieces the reports are made of: colour decisions, units, boxplots, escaping. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { shouldColor, stripAnsi, visibleLength, makeStyle } from "../../cli/color";
import { axisFor, boxplot } from "../../cli/report/boxplot";
import { formatAnnotation } from "../../cli/report/github";
import { groupViolations } from "../../cli/report/model";
import type { PerformanceViolation } from "../../runtime/types";
import { formatBytes, formatChangePct, formatInUnit, formatNs, formatP, formatPct } from "../../cli/report/units";
import { formatError } from "../../cli/errors";
import { CliError } from "../../cli/errors";
import { parseXml } from "./xml";

describe("colour", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it("is on for a terminal and off for a pipe", () => {
    assert.equal(shouldColor({}, tty), true);
    assert.equal(shouldColor({}, pipe), false);
  });
  it("is never on with NO_COLOR, even when forced", () => {
    assert.equal(shouldColor({ NO_COLOR: "1" }, tty), false);
    assert.equal(shouldColor({ NO_COLOR: "1", FORCE_COLOR: "1" }, tty), false);
    // An empty NO_COLOR does not count (no-color.org).
    assert.equal(shouldColor({ NO_COLOR: "" }, tty), true);
  });
  it("follows FORCE_COLOR both ways", () => {
    assert.equal(shouldColor({ FORCE_COLOR: "0" }, tty), false);
    assert.equal(shouldColor({ FORCE_COLOR: "false" }, tty), false);
    assert.equal(shouldColor({ FORCE_COLOR: "1" }, pipe), true);
  });
  it("measures styled text by what is visible", () => {
    const styled = makeStyle(true).red("abc");
    assert.notEqual(styled, "abc");
    assert.equal(visibleLength(styled), 3);
    assert.equal(stripAnsi(styled), "abc");
  });
});

describe("units", () => {
  it("picks a unit that keeps the number readable", () => {
    assert.equal(formatNs(512), "512 ns");
    assert.equal(formatNs(100), "100 ns");
    assert.equal(formatNs(100_000), "100 µs");
    assert.equal(formatNs(1_500), "1.5 µs");
    assert.equal(formatNs(1234), "1.23 µs");
    assert.equal(formatNs(45_600_000), "45.6 ms");
    assert.equal(formatNs(2_000_000_000), "2 s");
    assert.equal(formatBytes(1024), "1 KB");
    assert.equal(formatBytes(1536), "1.5 KB");
    assert.equal(formatBytes(3 * 1024 * 1024), "3 MB");
  });
  it("rescales a value in a named unit through the runtime's factors", () => {
    assert.equal(formatInUnit(26732, "us"), "26.7 ms");
    assert.equal(formatInUnit(100, "us"), "100 µs");
    assert.equal(formatInUnit(0.5, "ms"), "500 µs");
    assert.equal(formatInUnit(1.5, "GB"), "1.5 GB");
    assert.equal(formatInUnit(2048, "KB"), "2 MB");
    assert.equal(formatInUnit(3.14159, "widgets"), "3.14 widgets");
  });
  it("writes every non-finite value as – (a missing measurement never reads as NaN ns)", () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      assert.equal(formatNs(value), "–");
      assert.equal(formatBytes(value), "–");
      assert.equal(formatInUnit(value, "ms"), "–");
      assert.equal(formatInUnit(value, "MB"), "–");
      assert.equal(formatInUnit(value, "widgets"), "–");
      assert.equal(formatPct(value), "–");
      assert.equal(formatP(value), "–");
    }
  });
  it("signs percentages", () => {
    assert.equal(formatPct(12.34), "+12.3%");
    assert.equal(formatPct(-5), "−5%");
    assert.equal(formatPct(0), "±0%");
  });
  it("gives a change in a sentence signed, to one decimal, open-ended when an interval is", () => {
    assert.deepEqual([12.34, -5, 0, Number.POSITIVE_INFINITY, Number.NaN].map(formatChangePct), ["+12.3%", "-5.0%", "+0.0%", "+∞", "–"]);
  });
});

describe("boxplot", () => {
  it("places min, median, p99 and max in order on a log axis", () => {
    const spreads = [
      { min: 10, p50: 20, p99: 80, max: 100 },
      { min: 1000, p50: 2000, p99: 5000, max: 10000 },
    ];
    const axis = axisFor(spreads, 30);
    assert.ok(axis);
    const fast = boxplot(axis, spreads[0] as (typeof spreads)[0]);
    const slow = boxplot(axis, spreads[1] as (typeof spreads)[0]);
    assert.equal(fast.length, 30);
    assert.equal(fast.indexOf("├"), 0, fast);
    assert.equal(slow.lastIndexOf("┤"), 29, slow);
    for (const plot of [fast, slow]) {
      const order = ["├", "●", "┫", "┤"].map((mark) => plot.indexOf(mark));
      assert.deepEqual([...order].sort((a, b) => a - b), order, plot);
    }
    // A thousand times slower sits clearly to the right.
    assert.ok(slow.indexOf("●") > fast.indexOf("●") + 10);
  });
  it("has no axis when nothing was measured", () => {
    assert.equal(axisFor([], 30), null);
  });
});

describe("github annotations", () => {
  it("escapes data and properties as the workflow-command syntax requires", () => {
    const line = formatAnnotation({ level: "error", title: "a, b: c", message: "50% slower\nsee log", file: "src/a,b.ts", line: 3 });
    assert.equal(line, "::error file=src/a%2Cb.ts,line=3,title=a%2C b%3A c::50%25 slower%0Asee log");
  });
});

describe("violation groups", () => {
  const violation = (contractId: string, measured: number, line = 3): PerformanceViolation => ({
    contractId,
    kind: "latency",
    target: `t${contractId}`,
    file: "src/a.ts",
    line,
    measured,
    threshold: 5,
    unit: "ms",
    timestamp: 0,
    context: { origin: "inline", async: false, pid: 1 },
  });
  it("makes one line per contract, keeping the count and the worst measurement", () => {
    const groups = groupViolations([violation("a", 6), violation("b", 9, 8), violation("a", 12), violation("a", 7)]);
    assert.deepEqual(
      groups.map((g) => [g.contractId, g.count, g.worst, g.line]),
      [
        ["a", 3, 12, 3],
        ["b", 1, 9, 8],
      ],
    );
  });
});

describe("errors", () => {
  it("prints a user error as one line without a stack, exit 2", () => {
    const { text, exitCode } = formatError(new CliError("--filter is bad."), false);
    assert.equal(exitCode, 2);
    assert.equal(text, "choragen: --filter is bad.");
  });
  it("hides the stack of a bug unless --verbose", () => {
    const bug = new TypeError("x is undefined");
    assert.doesNotMatch(formatError(bug, false).text, /\n\s+at /);
    assert.match(formatError(bug, true).text, /\n\s+at /);
  });
});

describe("the test suite's XML checker", () => {
  it("accepts well-formed XML and decodes entities", () => {
    const root = parseXml('<?xml version="1.0"?>\n<a x="1 &amp; 2"><b/>t&lt;&#65;</a>');
    assert.equal(root.attributes["x"], "1 & 2");
    assert.equal(root.text, "t<A");
  });
  for (const bad of ["<a><b></a></b>", "<a x=1/>", "<a>&</a>", "<a>&nope;</a>", "<a/><b/>", "<a>", 'x<a y="1" y="2"/>', "<a>1 < 2</a>"]) {
    it(`rejects ${bad}`, () => {
      assert.throws(() => parseXml(bad));
    });
  }
});
