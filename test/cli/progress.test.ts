import assert from "node:assert/strict";
import { test } from "node:test";
import { makeStyle } from "../../cli/color";
import type { BenchResult, ProgressEvent } from "../../cli/engine/types";
import { createProgress } from "../../cli/progress";

const stats = { p50: 1500, p75: 1600, p99: 2500, min: 1400, max: 3000, mean: 1550, samples: 100, sampleSet: [1400, 3000] };
const done = (id: string): BenchResult => ({ file: "benchmarks/a.bench.ts", name: id, id, stats });
const run: ProgressEvent[] = [
  { type: "file-start", file: "benchmarks/a.bench.ts", index: 0, total: 2 },
  { type: "bench-start", file: "benchmarks/a.bench.ts", id: "parse" },
  { type: "bench-start", file: "benchmarks/a.bench.ts", id: "parse" },
  { type: "third-pass", file: "benchmarks/a.bench.ts", ids: ["parse"], reason: "confirm-regression" },
  { type: "bench-start", file: "benchmarks/a.bench.ts", id: "parse" },
  { type: "bench-done", result: done("parse") },
];

function render(isTTY: boolean): string {
  let out = "";
  const progress = createProgress({ isTTY, columns: 200, write: (text: string) => (out += text) }, makeStyle(false));
  run.forEach(progress.onProgress);
  progress.finish();
  return out;
}

test("in a log: the third process gets a line of its own, then each bench one line when it is final", () => {
  assert.equal(
    render(false),
    "[1/2] third process for parse: slower than its baseline, confirming…\n[1/2] ✓ parse  p50 1.5 µs · p99 2.5 µs\n",
  );
});

test("on a terminal: one status line, rewritten while each process measures, cleared at the end", () => {
  const out = render(true);
  const frames = out.split("\r\u001b[2K").filter((f) => f !== "");
  assert.deepEqual(frames, [
    "[1/2] benchmarks/a.bench.ts…",
    "[1/2] benchmarks/a.bench.ts · 0 done · measuring parse…",
    "[1/2] benchmarks/a.bench.ts · 0 done · measuring parse…",
    "[1/2] benchmarks/a.bench.ts · third process for parse: slower than its baseline, confirming…",
    "[1/2] benchmarks/a.bench.ts · 0 done · measuring parse…",
    "[1/2] benchmarks/a.bench.ts · 1 done · last: parse",
  ]);
  assert.ok(out.endsWith("\r\u001b[2K"), "the status line is cleared before the report");
});

test("a bench file that fails: one line naming its location once", () => {
  let out = "";
  const progress = createProgress({ isTTY: false, columns: 200, write: (text: string) => (out += text) }, makeStyle(false));
  const message = "broken/type.bench.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'.\n\n3 const x: number = \"a\";";
  progress.onProgress({ type: "file-done", file: "broken/type.bench.ts", failure: { file: "broken/type.bench.ts", kind: "compile", message, line: 3, column: 7 } });
  progress.finish();
  assert.equal(out, "✗ broken/type.bench.ts:3:7: compile — error TS2322: Type 'string' is not assignable to type 'number'.\n");
});

test("no bench files: no 'compiling 0 bench files' line (the report says what was looked for)", () => {
  let out = "";
  const progress = createProgress({ isTTY: false, columns: 200, write: (text: string) => (out += text) }, makeStyle(false));
  progress.onProgress({ type: "compile", files: 0, cached: 0 });
  progress.onProgress({ type: "compile", files: 2, cached: 1 });
  progress.finish();
  assert.equal(out, "compiling 2 bench files (1 cached)…\n");
});

test("why a third process runs, in the words of each reason", () => {
  const lines = (reason: Extract<ProgressEvent, { type: "third-pass" }>["reason"]): string => {
    let out = "";
    const progress = createProgress({ isTTY: false, columns: 200, write: (text: string) => (out += text) }, makeStyle(false));
    progress.onProgress({ type: "file-start", file: "benchmarks/a.bench.ts", index: 1, total: 3 });
    progress.onProgress({ type: "third-pass", file: "benchmarks/a.bench.ts", ids: ["parse", "g/format"], reason });
    progress.finish();
    return out;
  };
  assert.equal(lines("confirm-regression"), "[2/3] third process for parse, g/format: slower than its baseline, confirming…\n");
  assert.equal(lines("save-baseline"), "[2/3] third process for parse, g/format: baselines are measured in three processes…\n");
});
