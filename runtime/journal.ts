import { mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
// The timers module, not the globals: a test runner's fake timers replace the globals, never the module.
import { setTimeout as realSetTimeout } from "node:timers";
import { threadId } from "node:worker_threads";
import { writeFileAtomic } from "./atomic-write";
import { clock } from "./clock";
import type { RealmJournal } from "./state";
import type { ContractSummary, PerformanceViolation } from "./types";

/**
 * One realm's record of a run (a process, a worker thread, or a test runner's sandbox inside either), in
 * the folder beside CHORAGEN_PERF_REPORT (`<report>.parts/`):
 *
 * - `<realm>.jsonl`, appended as things happen: a header, each contract when it is armed, each stored
 *   violation, each `perf.reset()`. Written synchronously, line by line: a realm that is killed, terminated
 *   or never reaches `exit` has already delivered every violation it recorded.
 * - `<realm>.snapshot.json`, rewritten whole (temp file, then rename) when statistics change: call counts,
 *   percentile histograms, counts past the stored-violation cap. A write is scheduled on the first change
 *   and runs once the code that made it yields, then at most every SNAPSHOT_INTERVAL_MS while changes go
 *   on; exit, signals and test-runner hooks write it at once. So a SIGKILL or `worker.terminate()` loses at
 *   most the statistics of the last interval, never a violation.
 *
 * The reader is runtime/parts.ts. Nothing here throws into the program: a journal that cannot be written
 * says so once on stderr and stops.
 */
export const SNAPSHOT_INTERVAL_MS = 25;

/** Each realm announces itself here (runtime/collection.ts); the preload (runtime/preload.ts) listens. */
export const REALM_CHANNEL = "@choragen/perf:realm";

export interface RealmMessage {
  /** Writes the realm's snapshot now. */
  readonly flush: () => void;
}

/** What a snapshot holds: the realm's statistics and how many journal lines it already accounts for. */
export interface RealmSnapshot {
  readonly contracts: readonly ContractSummary[];
  readonly dropped: number;
}

export interface JournalOptions {
  /** The folder of parts, `<report>.parts`. */
  readonly dir: string;
  /** The realm's statistics now. */
  readonly snapshot: () => RealmSnapshot;
}

let realmsInThisThread = 0;

export function partsDirOf(reportFile: string): string {
  return `${reportFile}.parts`;
}

export function openJournal(options: JournalOptions): RealmJournal {
  const realm = `${process.pid}-${threadId}-${++realmsInThisThread}-${Math.random().toString(36).slice(2, 8)}`;
  const journalFile = join(options.dir, `${realm}.jsonl`);
  const snapshotFile = join(options.dir, `${realm}.snapshot.json`);
  let fd: number | undefined;
  let broken = false;
  let lines = 0;
  let pending = false;
  let lastWrite = -Infinity;

  const fail = (error: unknown): void => {
    if (broken) return;
    broken = true;
    process.stderr.write(`[choragen/perf] cannot record contracts in ${options.dir}: ${(error as Error).message}; this process's violations will be missing from the report\n`);
  };

  const append = (record: object): void => {
    if (broken) return;
    try {
      if (fd === undefined) {
        mkdirSync(options.dir, { recursive: true });
        fd = openSync(journalFile, "a");
        const header = { t: "realm", pid: process.pid, thread: threadId, node: process.version, started: Date.now() };
        writeSync(fd, `${JSON.stringify(header)}\n`);
        lines++;
      }
      writeSync(fd, `${JSON.stringify(record)}\n`);
      lines++;
    } catch (error) {
      fail(error);
    }
  };

  const flush = (): void => {
    pending = false;
    if (broken) return;
    lastWrite = clock.now();
    try {
      if (fd === undefined) append({ t: "open" });
      const { contracts, dropped } = options.snapshot();
      writeFileAtomic(snapshotFile, JSON.stringify({ lines, dropped, contracts }));
    } catch (error) {
      fail(error);
    }
  };

  const touch = (): void => {
    if (pending) return;
    if (broken) return;
    pending = true;
    const wait = SNAPSHOT_INTERVAL_MS - (clock.now() - lastWrite);
    // After a quiet spell, as soon as the code that changed it has run: a test runner may finish a whole
    // test file in promise jobs and terminate the thread before a timer or an immediate comes round. A
    // native promise job, since fake timers replace queueMicrotask and nextTick. While changes go on, at
    // most every SNAPSHOT_INTERVAL_MS, from an unreferenced timer that never keeps a program alive.
    if (wait <= 0) void Promise.resolve().then(flush);
    else realSetTimeout(flush, wait).unref();
  };

  return {
    armed: (summary) => {
      append({ t: "c", c: summary });
    },
    violation: (violation: PerformanceViolation) => {
      append({ t: "v", v: violation });
      touch();
    },
    reset: () => {
      append({ t: "r" });
      touch();
    },
    touch,
    overdue: () => {
      // Code that never yields (a long synchronous loop) holds a scheduled write back: write now instead.
      if (clock.now() - lastWrite > 2 * SNAPSHOT_INTERVAL_MS) flush();
    },
    flush,
  };
}
