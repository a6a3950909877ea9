// Runs `node --test` with its TAP output passed through as it comes, then repeats the failed tests at the end.
//
// Why: a CI log is often read from its tail, and the TAP stream puts a failure wherever the test happened to
// run; with 1,600 tests the summary's "# fail 1" was all a tail showed, not which test or why. Known bugs
// (`# TODO`) and skips are not failures; a suite whose children failed is named through them, not again.
import { spawn } from "node:child_process";

/** The failed leaf tests of a TAP stream, each with its suites, its location and the start of its error. */
export function failedTests(tap) {
  const lines = tap.split(/\r?\n/);
  const open = []; // names of the subtests being reported, by depth
  const failed = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const subtest = /^(\s*)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      const depth = subtest[1].length / 4;
      open.length = depth;
      open[depth] = subtest[2];
      continue;
    }
    const result = /^(\s*)not ok \d+ - (.*)$/.exec(line);
    if (!result) continue;
    const depth = result[1].length / 4;
    const directive = /\s#\s*(TODO|SKIP)\b/i.test(result[2]);
    const block = [];
    if (lines[i + 1]?.trim() === "---") {
      for (let j = i + 2; j < lines.length && lines[j].trim() !== "..."; j++) block.push(lines[j].slice(result[1].length + 2));
    }
    if (directive || block.some((entry) => /^failureType: '(subtestsFailed|cancelledByParent)'/.test(entry))) continue;
    const location = block.find((entry) => entry.startsWith("location:"));
    const errorAt = block.findIndex((entry) => entry.startsWith("error:"));
    // Node's own frames say nothing about which assertion failed.
    const error = errorAt === -1 ? [] : block.slice(errorAt).filter((entry) => !/\(?node:|new Promise|Array\.map/.test(entry)).slice(0, 20);
    failed.push({ path: [...open.slice(0, depth), result[2]].join(" > "), location, error });
  }
  return failed;
}

/** Runs node with `args` (which include --test), streams its output, and resolves to its exit status. */
export function runNodeTest(args, options = {}) {
  return new Promise((resolvePromise) => {
    if (process.stdout.isTTY) {
      // A terminal gets node's spec reporter, which lists the failures at its end itself.
      spawn(process.execPath, args, { ...options, stdio: "inherit" }).on("close", (code, signal) => resolvePromise(code ?? (signal === null ? 1 : 128)));
      return;
    }
    const child = spawn(process.execPath, args, { ...options, stdio: ["inherit", "pipe", "inherit"] });
    const chunks = [];
    child.stdout.on("data", (chunk) => {
      chunks.push(chunk);
      process.stdout.write(chunk);
    });
    child.on("close", (code, signal) => {
      const failed = failedTests(Buffer.concat(chunks).toString("utf8"));
      if (failed.length > 0) {
        const lines = [`\n${failed.length} failed test${failed.length === 1 ? "" : "s"} (repeated from above):`];
        for (const { path, location, error } of failed) {
          lines.push(`\nnot ok - ${path}`);
          if (location !== undefined) lines.push(`  ${location}`);
          for (const entry of error) lines.push(`  ${entry}`);
        }
        process.stdout.write(`${lines.join("\n")}\n`);
      }
      resolvePromise(code ?? (signal === null ? 1 : 128));
    });
  });
}
