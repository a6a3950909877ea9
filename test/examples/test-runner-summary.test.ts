/**
 * `npm test` ends by repeating its failed tests, so a log read from its tail (as CI logs are) says which test
 * failed and why, not only "# fail 1". Known bugs (todo) and the suites around a failure are not repeated.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "./support";

// The tests run under node --test, which tells its children so through NODE_TEST_CONTEXT; a child that sees
// it reports to this run instead of running its files.
const OWN_RUN = { NODE_TEST_CONTEXT: undefined };

const FIXTURE = `
const { test, describe } = require("node:test");
const assert = require("node:assert/strict");
describe("outer", () => {
  test("passes", () => {});
  test("fails here", () => { assert.equal(1, 2); });
  test("a known bug", { todo: "not fixed yet" }, () => { throw new Error("todo failure"); });
  describe("inner", () => { test("fails deeper", () => { throw new Error("deep failure"); }); });
});
`;

test("scripts/run-tests.mjs repeats each failed test at the end: its suites, location and error", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "choragen-summary-"));
  try {
    const file = path.join(dir, "fixture.test.js");
    fs.writeFileSync(file, FIXTURE);
    const result = run(["scripts/run-tests.mjs", file], OWN_RUN);
    assert.equal(result.status, 1, result.transcript);
    const marker = "2 failed tests (repeated from above):";
    const at = result.stdout.lastIndexOf(marker);
    assert.ok(at > 0, result.transcript);
    const tail = result.stdout.slice(at);
    assert.match(tail, /not ok - outer > fails here\n {2}location: '.*fixture\.test\.js:6:3'\n {2}error:/);
    assert.match(tail, /not ok - outer > inner > fails deeper\n[^]*deep failure/);
    assert.doesNotMatch(tail, /a known bug|todo failure|not ok - outer\n|passes/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a passing run repeats nothing", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "choragen-summary-"));
  try {
    const file = path.join(dir, "fixture.test.js");
    fs.writeFileSync(file, `require("node:test").test("passes", () => {});\n`);
    const result = run(["scripts/run-tests.mjs", file], OWN_RUN);
    assert.equal(result.status, 0, result.transcript);
    assert.doesNotMatch(result.stdout, /repeated from above/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
