import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic as writeAtomically } from "../../runtime/atomic-write";
import { EngineError } from "./types";

/**
 * Writes `content` atomically and durably (runtime/atomic-write.ts, the package's one atomic write), with the
 * errors a user can fix (a file where a folder belongs, no permission, a full disk) said as such.
 */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    // Typically a file standing where a folder of .choragen/ belongs: the user's to fix, so say where.
    throw new EngineError(`cannot create the folder ${dir} to write ${path.basename(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (is there a file in its place?)`, dir, "bad-file");
  }
  try {
    writeAtomically(file, content, true);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EISDIR" || code === "ENOTDIR" || code === "EACCES" || code === "EPERM" || code === "ENOSPC" || code === "EROFS") {
      throw new EngineError(`cannot write ${file}: ${code} (${(error as Error).message})`, file, "bad-file");
    }
    throw error;
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
