import { test } from "node:test";
import assert from "node:assert/strict";
import { didYouMean, editDistance } from "../../config/suggest";

test("edit distance counts a transposition as one edit", () => {
  assert.equal(editDistance("exclude", "exclude"), 0);
  assert.equal(editDistance("exlcude", "exclude"), 1);
  assert.equal(editDistance("percentil", "percentile"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
});

test("suggestions: typos, case and separators, prefixes; nothing for unrelated words", () => {
  const keys = ["enabled", "include", "exclude", "regressionThreshold", "baselineBranch", "timeoutMs", "budgets"];
  assert.deepEqual(didYouMean("exlude", keys), ["exclude"]);
  assert.deepEqual(didYouMean("regression_threshold", keys), ["regressionThreshold"]);
  assert.deepEqual(didYouMean("Budget", keys), ["budgets"]);
  assert.deepEqual(didYouMean("timeout", keys), ["timeoutMs"]);
  assert.deepEqual(didYouMean("colour", keys), []);
  assert.deepEqual(didYouMean("p95", ["p50", "p75", "p99", "mean", "heap"]), ["p75", "p99"]);
  assert.deepEqual(didYouMean("warning", ["record", "warn", "throw"]), ["warn"]);
});
