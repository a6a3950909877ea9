import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { writeFileAtomic } from "./atomic-write";
import { partsDirOf } from "./journal";
import { readParts } from "./parts";
import { isReport } from "./report";
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

type Existing = { readonly kind: "none" } | { readonly kind: "report"; readonly report: PerformanceReport } | { readonly kind: "other" };

function readExisting(file: string): Existing {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { kind: "none" };
  }
  if (text.trim() === "") return { kind: "none" };
  try {
    const parsed: unknown = JSON.parse(text);
    if (isReport(parsed)) return { kind: "report", report: parsed };
  } catch {
    // fall through
  }
  return { kind: "other" };
}

/**
 * Said when collection is armed, not at exit: a file at CHORAGEN_PERF_REPORT that is not a report (a path
 * mistyped onto the user's own file) is never overwritten, and the user learns it before the run, not after.
 */
export function warnIfNotAReport(target: string): void {
  const file = resolve(target);
  if (readExisting(file).kind !== "other") return;
  process.stderr.write(`[choragen/perf] CHORAGEN_PERF_REPORT names ${file}, which exists and is not a performance report: it will not be overwritten (this run's report goes to ${partsDirOf(file)})\n`);
}

/**
 * At the end of a process run with CHORAGEN_PERF_REPORT: the report of every realm of the run so far,
 * merged from `<report>.parts/`, written to the report file. Each process that ends rewrites it whole
 * (under the lock), so the last one leaves the report of all. Never throws: the process is ending.
 */
export function writeMergedReport(target: string): void {
  const file = resolve(target);
  try {
    const { report } = readParts(partsDirOf(file));
    if (report === undefined) return;
    mkdirSync(dirname(file), { recursive: true });
    const lock = `${file}.lock`;
    const locked = acquireLock(lock);
    try {
      // Said when the run began (warnIfNotAReport).
      if (readExisting(file).kind === "other") return;
      writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
    } finally {
      if (locked) removeQuietly(lock);
    }
  } catch (error) {
    process.stderr.write(`[choragen/perf] could not write the report to ${target}: ${(error as Error).message}\n`);
  }
}
