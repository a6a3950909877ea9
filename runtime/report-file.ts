import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { buildReport, isReport, mergeReports } from "./report";
import type { SharedState } from "./state";
import type { PerformanceReport } from "./types";

const LOCK_WAIT_MS = 10_000;
/** A lock this old is left over by a process that died while holding it. */
const STALE_LOCK_MS = 30_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the lock if its holder is gone (dead pid, or older than STALE_LOCK_MS). The pid and the inode
 * are read from one open file, and the lock is removed only if the path still names that file: the
 * holder may have released it meanwhile and a live process taken a new one, which must survive.
 */
function breakStaleLock(lock: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(lock, "r");
    const info = fstatSync(fd);
    const holder = Number(readFileSync(fd, "utf8"));
    const dead = Number.isInteger(holder) && holder > 0 && !processAlive(holder);
    if ((dead || Date.now() - info.mtimeMs > STALE_LOCK_MS) && statSync(lock).ino === info.ino) unlinkSync(lock);
  } catch {
    // Released meanwhile, or unreadable: the next attempt decides.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** An exclusive-create lock file next to the report; false when it could not be had in time. */
function acquireLock(lock: string): boolean {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (Date.now() > deadline) return false;
    if (attempt % 20 === 19) breakStaleLock(lock);
    sleep(2 + Math.random() * 8);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function readExisting(file: string): PerformanceReport | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isReport(parsed)) return parsed;
  } catch {
    // fall through
  }
  process.stderr.write(`[choragen/perf] ${file} did not hold a performance report; replacing it\n`);
  return undefined;
}

/**
 * Writes this process's report to `target`, merged with what is already there. Many processes of one
 * run (test-runner workers) write the same file, so the read-merge-write cycle runs under a lock file
 * (`<file>.lock`, created exclusively; a lock whose holder died is broken), and the write itself goes to
 * a per-process temp file renamed over the target, so a reader never sees half a report. If the lock
 * cannot be had in LOCK_WAIT_MS the process still merges and writes: a rare lost update beats a hang
 * at exit.
 */
export function writeReportFile(target: string, report: PerformanceReport): void {
  const file = resolve(target);
  mkdirSync(dirname(file), { recursive: true });
  const lock = `${file}.lock`;
  const locked = acquireLock(lock);
  try {
    const existing = readExisting(file);
    const merged = existing === undefined ? report : mergeReports(existing, report);
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      writeFileSync(temp, `${JSON.stringify(merged, null, 2)}\n`);
      renameSync(temp, file);
    } catch (error) {
      removeQuietly(temp);
      throw error;
    }
  } finally {
    if (locked) removeQuietly(lock);
  }
}

/** The `exit` handler behind CHORAGEN_PERF_REPORT: never throws, since the process is already ending. */
export function writeReportFileOnExit(target: string, from: SharedState): void {
  try {
    writeReportFile(target, buildReport(from));
  } catch (error) {
    process.stderr.write(`[choragen/perf] could not write the report to ${target}: ${(error as Error).message}\n`);
  }
}
