/**
 * Every file in test/fixtures/config/broken/ must fail with exactly the problems listed here: same count,
 * same order, and for each the exact line, column and key path, plus what the message says was expected,
 * what was found and (where there is one) the hint. A fixture without an entry fails the suite.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, loadConfig, parseConfig, type ConfigProblem } from "../../config";

const BROKEN = path.resolve(__dirname, "../../../test/fixtures/config/broken");

interface Expect {
  /** "line:column" */
  at: string;
  path: string;
  expected: string;
  found: string;
  hint?: string;
}

const EXPECTATIONS: Record<string, Expect[]> = {
  "alias-bomb.yaml": [{ at: "7:12", path: "benchmarks.budgets.e[0]", expected: "aliases that expand to at most 10000 values", found: "alias *d", hint: "fewer nested aliases" }],
  "alias-cycle.yaml": [{ at: "2:12", path: "contracts.latency", expected: "an alias outside the value it refers to", found: "*c inside &c" }],
  "bad-glob.yaml": [{ at: "4:7", path: 'contracts.latency.overrides."api/[*"', expected: "a valid glob", found: '"api/[*"', hint: 'Missing closing: "]"' }],
  "bad-on-violation.yaml": [{ at: "2:16", path: "contracts.onViolation", expected: "one of record, warn, throw", found: '"warning"', hint: 'did you mean "warn"?' }],
  "bench-budget-mistakes.yaml": [
    { at: "4:32", path: 'benchmarks.budgets."pricing: quote 100 items".p99.percentile', expected: "one of the keys max, unit", found: '"percentile"', hint: "names the statistic" },
    { at: "5:19", path: 'benchmarks.budgets."parse 1 KB"', expected: "at least one of p50, p75, p99, mean, heap", found: "an empty mapping", hint: "at least one limit" },
  ],
  "budget-as-scalar.yaml": [{ at: "3:14", path: "contracts.latency.default", expected: "a latency budget", found: "200", hint: "write { max: 200, unit: ms }" }],
  "complex-key.yaml": [{ at: "2:5", path: "contracts", expected: "a plain key", found: "a list used as a key" }],
  "custom-tag.yaml": [{ at: "2:16", path: "contracts.onViolation", expected: "plain YAML values (no tags)", found: "!!js/function", hint: "tags are not supported" }],
  "duplicate-keys.yaml": [{ at: "4:3", path: "thresholds.minScore", expected: "each key once per mapping", found: '"minScore" again (first at line 2)', hint: "keep one of them" }],
  "include-not-a-list.yaml": [{ at: "2:12", path: "benchmarks.include", expected: "a list of globs", found: '"benchmarks/**/*.bench.ts"', hint: 'write a list: ["benchmarks/**/*.bench.ts"]' }],
  "infinite-max.yaml": [{ at: "3:21", path: "contracts.latency.default.max", expected: "a number greater than 0", found: ".inf" }],
  "many-problems.yaml": [
    { at: "5:31", path: "contracts.memory.default.unit", expected: "one of B, KB, MB, GB", found: '"mb"', hint: 'did you mean "MB"?' },
    { at: "8:12", path: "benchmarks.enabled", expected: "true or false", found: '"yes"', hint: "write true or false" },
    { at: "9:3", path: "benchmarks.regresionThreshold", expected: "one of the keys enabled, include, exclude, regressionThreshold", found: '"regresionThreshold"', hint: 'did you mean "regressionThreshold"?' },
    { at: "10:19", path: "benchmarks.baselineBranch", expected: "a git branch or ref name", found: "2024", hint: 'quote it: "2024"' },
    { at: "11:14", path: "benchmarks.timeoutMs", expected: "a whole number of milliseconds greater than 0", found: "0" },
    { at: "14:3", path: "thresholds.maxViolation", expected: "one of the keys minScore, maxViolations", found: '"maxViolation"', hint: 'did you mean "maxViolations"?' },
  ],
  "max-with-unit-string.yaml": [{ at: "4:12", path: "contracts.latency.default.max", expected: "a number greater than 0", found: '"200ms"', hint: "max: 200 and unit: ms" }],
  "memory-unit-in-latency.yaml": [{ at: "4:41", path: 'contracts.latency.overrides."OrderService.*".unit', expected: "one of ns, us, ms, s", found: '"MB"', hint: "MB is a memory unit" }],
  "merge-key.yaml": [
    { at: "1:1", path: "base", expected: "one of the keys contracts, benchmarks, thresholds", found: '"base"' },
    { at: "4:5", path: "contracts.latency.default.max", expected: "a number greater than 0", found: "nothing (the key is missing)" },
    { at: "4:5", path: "contracts.latency.default.unit", expected: "one of ns, us, ms, s", found: "nothing (the key is missing)" },
    { at: "5:7", path: 'contracts.latency.default."<<"', expected: "one of the keys max, unit, percentile", found: '"<<"', hint: "merge keys (<<) are not supported" },
  ],
  "misplaced-key.yaml": [{ at: "2:1", path: "onViolation", expected: "one of the keys contracts, benchmarks, thresholds", found: '"onViolation"', hint: "belongs under contracts (contracts.onViolation)" }],
  "missing-unit.yaml": [{ at: "3:5", path: "contracts.memory.default.unit", expected: "one of B, KB, MB, GB", found: "nothing (the key is missing)" }],
  "misspelt-nested-key.yaml": [{ at: "4:38", path: 'contracts.latency.overrides."api/*".percentil', expected: "one of the keys max, unit, percentile", found: '"percentil"', hint: 'did you mean "percentile"?' }],
  "misspelt-top-key.yaml": [{ at: "1:1", path: "contract", expected: "one of the keys contracts, benchmarks, thresholds", found: '"contract"', hint: 'did you mean "contracts"?' }],
  "multiple-documents.yaml": [{ at: "3:1", path: "", expected: "a single YAML document", found: "2 documents", hint: "remove the extra ---" }],
  "negative-max.yaml": [{ at: "3:21", path: "contracts.memory.default.max", expected: "a number greater than 0", found: "-5", hint: "must be greater than 0" }],
  "percentile-out-of-range.yaml": [
    { at: "4:51", path: 'contracts.latency.overrides."api/**".percentile', expected: "a number greater than 0 and at most 100", found: "150" },
    { at: "5:52", path: 'contracts.latency.overrides."jobs/**".percentile', expected: "a number greater than 0 and at most 100", found: "0" },
  ],
  "quoted-number.yaml": [{ at: "4:24", path: 'contracts.latency.overrides."api/**".max', expected: "a number greater than 0", found: '"100"', hint: "without quotes" }],
  "root-list.yaml": [{ at: "1:1", path: "", expected: "a mapping with the sections contracts, benchmarks, thresholds", found: "a list" }],
  "root-scalar.yaml": [{ at: "1:1", path: "", expected: "a mapping with the sections contracts, benchmarks, thresholds", found: '"just some text"' }],
  "section-is-a-list.yaml": [{ at: "1:12", path: "contracts", expected: "a mapping (key: value pairs)", found: "a list" }],
  "syntax-bad-indent.yaml": [{ at: "4:1", path: "contracts.memory", expected: "valid YAML", found: "All mapping items must start at the same column" }],
  "syntax-unclosed-flow.yaml": [
    { at: "4:3", path: "contracts.onViolation", expected: "valid YAML", found: "must be sufficiently indented and end with a }", hint: "every { and [ opened above this line is closed" },
  ],
  "tabs.yaml": [{ at: "4:1", path: "benchmarks", expected: "spaces for indentation", found: "a tab", hint: "does not allow tabs" }],
  "thresholds-out-of-range.yaml": [
    { at: "2:13", path: "thresholds.minScore", expected: "a number from 0 to 100", found: "120" },
    { at: "3:18", path: "thresholds.maxViolations", expected: "a whole number, 0 or more", found: "1.5" },
  ],
  "unknown-alias.yaml": [{ at: "3:14", path: "contracts.latency.default", expected: "an alias to an anchor defined earlier", found: "*fast" }],
  "unknown-latency-unit.yaml": [{ at: "3:30", path: "contracts.latency.default.unit", expected: "one of ns, us, ms, s", found: '"sec"', hint: 'did you mean "s"?' }],
  "windows-and-absolute-globs.yaml": [
    { at: "2:13", path: "benchmarks.include[0]", expected: "a valid glob", found: String.raw`"benchmarks\\perf\\*.bench.ts"`, hint: "use / as the path separator" },
    { at: "3:13", path: "benchmarks.exclude[0]", expected: "a valid glob", found: '"/abs/**"', hint: "remove the leading /" },
  ],
  "zero-max.yaml": [{ at: "3:21", path: "contracts.latency.default.max", expected: "a number greater than 0", found: "0", hint: "must be greater than 0" }],
};

function problemsOf(file: string): readonly ConfigProblem[] {
  const text = fs.readFileSync(file, "utf8");
  try {
    parseConfig(text, file);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `${path.basename(file)}: expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail(`${path.basename(file)} was accepted`);
}

test("the corpus is large enough and every fixture has expectations", () => {
  const files = fs.readdirSync(BROKEN).filter((f) => f.endsWith(".yaml")).sort();
  assert.ok(files.length >= 20, `only ${files.length} broken fixtures`);
  assert.deepEqual(files, Object.keys(EXPECTATIONS).sort());
});

for (const [name, expectations] of Object.entries(EXPECTATIONS)) {
  test(`broken/${name}`, () => {
    const file = path.join(BROKEN, name);
    const problems = problemsOf(file);
    const summary = problems.map((p) => `${p.line}:${p.column} ${p.path} — ${p.message}`).join("\n");
    assert.equal(problems.length, expectations.length, `problems:\n${summary}`);
    expectations.forEach((want, i) => {
      const got = problems[i];
      assert.ok(got);
      assert.equal(`${got.line}:${got.column}`, want.at, `position of problem ${i}:\n${summary}`);
      assert.equal(got.path, want.path);
      assert.equal(got.file, file);
      assert.ok(got.expected.includes(want.expected), `expected: ${JSON.stringify(got.expected)} lacks ${JSON.stringify(want.expected)}`);
      assert.ok(got.found.includes(want.found), `found: ${JSON.stringify(got.found)} lacks ${JSON.stringify(want.found)}`);
      if (want.hint === undefined) assert.equal(got.hint, undefined, `unexpected hint ${got.hint ?? ""}`);
      else assert.ok(got.hint?.includes(want.hint), `hint: ${JSON.stringify(got.hint)} lacks ${JSON.stringify(want.hint)}`);
    });
  });
}

test("the error message lists every problem as file:line:column: key.path: …, with no stack trace", () => {
  const file = path.join(BROKEN, "many-problems.yaml");
  let message = "";
  try {
    parseConfig(fs.readFileSync(file, "utf8"), file);
  } catch (error) {
    message = (error as Error).message;
  }
  assert.match(message, /^Invalid configuration in .*many-problems\.yaml \(6 problems\):/);
  for (const p of problemsOf(file)) {
    assert.ok(message.includes(`${file}:${p.line}:${p.column}: ${p.path}: ${p.message}`), `missing ${p.path} in:\n${message}`);
  }
  assert.ok(message.includes("expected one of B, KB, MB, GB, found \"mb\""));
  assert.ok(message.includes('hint: did you mean "MB"?'));
  assert.doesNotMatch(message, /\n\s+at /);
});

test("loadConfig reports a broken file with its absolute path", () => {
  const file = path.join(BROKEN, "zero-max.yaml");
  assert.throws(
    () => loadConfig({ cwd: BROKEN, explicitPath: "zero-max.yaml" }),
    (error: unknown) => error instanceof ConfigError && error.problems[0]?.file === file && error.message.includes(`${file}:3:21:`),
  );
});
