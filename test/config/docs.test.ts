/** docs/configuration.md shows the defaults and a real error report; keep both true. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, defaultConfig, parseConfig, parseConfigWithSources } from "../../config";

const REPO = path.resolve(__dirname, "../../..");
const DOC = fs.readFileSync(path.join(REPO, "docs", "configuration.md"), "utf8");

function fenced(after: string, language: string): string {
  const start = DOC.indexOf(after);
  assert.ok(start >= 0, `${after} not found in the doc`);
  const open = DOC.indexOf("```" + language + "\n", start);
  const close = DOC.indexOf("\n```", open + 4);
  return DOC.slice(open + language.length + 4, close + 1);
}

test("the documented defaults block is exactly the configuration of a project without a file", () => {
  assert.deepEqual(parseConfig(fenced("<!-- defaults -->", "yaml"), "docs/configuration.md"), defaultConfig().config);
});

test("every configurable key is in the reference table", () => {
  const { sources } = parseConfigWithSources("", "none");
  for (const key of sources.keys()) assert.ok(DOC.includes(`| \`${key}\` |`), `${key} missing from the table`);
});

test("the example error report in the doc is what the loader prints", () => {
  const file = path.join(REPO, "test/fixtures/config/docs/example-errors.yaml");
  let message = "";
  try {
    parseConfig(fs.readFileSync(file, "utf8"), "/repo/.choragen/performance.yaml");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    message = error.message;
  }
  assert.equal(fenced("## Errors", "text"), `${message}\n`);
});
