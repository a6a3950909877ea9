import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { EngineError } from "./types";

/**
 * Writes `content` so that a reader (or a crash at any instant) sees either the old file or the new
 * one, never a mix: a temp file in the same directory, fsync, rename over the target, fsync the directory.
 */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    // Typically a file standing where a folder of .choragen/ belongs: the user's to fix, so say where.
    throw new EngineError(`cannot create the folder ${dir} to write ${path.basename(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (is there a file in its place?)`, dir, "bad-file");
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, "wx", 0o644);
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EISDIR" || code === "ENOTDIR" || code === "EACCES" || code === "EPERM" || code === "ENOSPC" || code === "EROFS") {
      throw new EngineError(`cannot write ${file}: ${code} (${(error as Error).message})`, file, "bad-file");
    }
    throw error;
  }
  syncDirectory(dir);
}

function syncDirectory(dir: string): void {
  // Makes the rename itself durable. Not possible on every platform (Windows): best effort.
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // ignore: durability of the directory entry is an extra, not a correctness requirement
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Temp files left by writers that were killed mid-write (older than a minute, so not a live writer's). */
export function removeStaleTempFiles(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const cutoff = Date.now() - 60_000;
  for (const name of names) {
    if (!name.startsWith(".") || !name.endsWith(".tmp")) continue;
    const full = path.join(dir, name);
    try {
      if (fs.statSync(full).mtimeMs < cutoff) fs.rmSync(full, { force: true });
    } catch {
      // raced with another cleaner: fine
    }
  }
}
