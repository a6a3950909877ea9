// Preloaded (node --require) into every test file of `npm run test:fast`: the fast tier is the tests that run
// in-process, and this makes that a checked rule rather than a hope. A test that starts a child process fails
// here, naming the call; it belongs in END_TO_END (scripts/test-tiers.mjs), which `npm test` still runs.
// Node's test runner starts its own per-file processes through internal bindings, not this module's exports.
"use strict";
const childProcess = require("node:child_process");
for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"]) {
  childProcess[name] = function startsAProcess() {
    throw new Error(`child_process.${name}() in the fast tier: a test that starts a process is end-to-end; list its file in scripts/test-tiers.mjs`);
  };
}
