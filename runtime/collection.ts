import { channel } from "node:diagnostics_channel";
import { isMainThread } from "node:worker_threads";
import { openJournal, partsDirOf, REALM_CHANNEL, type RealmMessage } from "./journal";
import { warnIfNotAReport, writeMergedReport } from "./report-file";
import { assertEnvOnViolation, state } from "./state";
import { printUnwarned } from "./warnings";

/**
 * Arms collection for CHORAGEN_PERF_REPORT, once per realm, whichever copy of the package loads first.
 * The journal delivers violations as they happen; these hooks only make the last statistics exact:
 *
 * - `exit` (a normal end, `process.exit()`, an uncaught exception): snapshot, then the merged report file;
 * - SIGTERM, SIGINT, SIGHUP (a test runner ending its forks, a CI timeout): snapshot, then, when nobody
 *   else listens, the default action again, so the program dies of the same signal as it would have;
 * - the preload the CLI installs (runtime/preload.ts) hears of every realm on a diagnostics channel, which
 *   reaches out of test-runner sandboxes (Jest's `process` is not the real one, and its `exit` listeners
 *   never run): it snapshots them all when the real process exits;
 * - the Vitest and Jest setup entries (runtime/integrations) snapshot after each test file.
 */
const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

export function armCollection(): void {
  assertEnvOnViolation();
  if (state.journal !== undefined) return;
  const reportFile = process.env["CHORAGEN_PERF_REPORT"];
  if (!reportFile) return;
  const journal = openJournal({
    dir: partsDirOf(reportFile),
    snapshot: () => ({ contracts: state.contracts.map((c) => c.summary()), dropped: state.dropped }),
  });
  state.journal = journal;
  warnIfNotAReport(reportFile);
  const flush = (): void => journal.flush();
  channel(REALM_CHANNEL).publish({ flush } satisfies RealmMessage);

  process.once("exit", () => {
    flush();
    printUnwarned();
    // The merged file is for programs run without the CLI (which reads the parts itself); a worker
    // thread leaves it to its process.
    if (isMainThread) writeMergedReport(reportFile);
  });
  if (!isMainThread) return;
  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      flush();
      printUnwarned();
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}
