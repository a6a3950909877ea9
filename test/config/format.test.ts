import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultConfig, formatConfig, parseConfig, parseConfigWithSources, type LoadedConfig } from "../../config";

const VALID = path.resolve(__dirname, "../../../test/fixtures/config/valid");

function loaded(text: string, file: string | null): LoadedConfig {
  const { config, sources } = text === "" ? defaultConfig() : parseConfigWithSources(text, file ?? "x.yaml");
  return { config, sources, file, root: "/project" };
}

function valueLines(out: string): string[] {
  return out.split("\n").filter((line) => line.includes("  # "));
}

test("defaults: every value is marked # default and the header says no file was found", () => {
  const out = formatConfig(loaded("", null));
  assert.match(out, /^# Configuration in effect\n# file: none found \(all values are defaults\)\n# root: \/project\n/);
  const lines = valueLines(out);
  assert.equal(lines.length, 14);
  for (const line of lines) assert.match(line, /# default$/);
  assert.ok(out.includes('include: ["benchmarks/**/*.bench.ts"]'));
});

test("a partial file: set values say # from file, the rest # default", () => {
  const out = formatConfig(loaded("contracts:\n  onViolation: warn\n  latency:\n    overrides:\n      \"api/*\": { max: 1, unit: ms }\n", "/project/.choragen/performance.yaml"));
  assert.ok(out.includes("# file: /project/.choragen/performance.yaml"));
  assert.match(out, /\n {4}default: \{ max: 200, unit: ms \} +# default\n/);
  assert.match(out, /\n {6}"api\/\*": \{ max: 1, unit: ms \} +# from file\n/);
  assert.match(out, /\n {2}onViolation: warn +# from file\n/);
  assert.match(out, /\n {2}minScore: 80 +# default\n/);
});

test("the output is valid configuration that parses back to the same values", () => {
  for (const name of ["full.yaml", "aliases.yaml", "empty.yaml"]) {
    const text = fs.readFileSync(path.join(VALID, name), "utf8");
    const before = loaded(text, name);
    assert.deepEqual(parseConfig(formatConfig(before), "printed.yaml"), before.config, name);
  }
});
