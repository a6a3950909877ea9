/**
 * Preloaded into every Node.js process and thread of a `choragen perf -- <cmd>` run (NODE_OPTIONS
 * `--require`), whether or not it ever loads @choragen/perf. It does two things, both cheap:
 *
 * - leaves `<pid>-<thread>.proc.json` in the run's parts folder, so a run whose processes never loaded the
 *   runtime can say which processes did start, instead of guessing;
 * - listens on the realm channel (runtime/collection.ts) and, when the real process exits, snapshots every
 *   realm it heard of: a test runner's sandbox (Jest) has a `process` of its own whose `exit` never comes.
 */
import { subscribe } from "node:diagnostics_channel";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { partsDirOf, REALM_CHANNEL, type RealmMessage } from "./journal";

const reportFile = process.env["CHORAGEN_PERF_REPORT"];
if (reportFile) {
  try {
    const dir = partsDirOf(reportFile);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${process.pid}-${threadId}.proc.json`), JSON.stringify({ pid: process.pid, thread: threadId, argv: process.argv }));
  } catch {
    // The run's report says what it knows; a preload must never stop the program.
  }
  const realms: RealmMessage[] = [];
  subscribe(REALM_CHANNEL, (message) => {
    const realm = message as RealmMessage;
    if (typeof realm?.flush === "function") realms.push(realm);
  });
  process.once("exit", () => {
    for (const realm of realms) {
      try {
        realm.flush();
      } catch {
        // one realm's failure must not cost the others
      }
    }
  });
}
