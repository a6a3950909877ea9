import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * The one atomic write of the package (the runtime's reports and snapshots, the CLI's results, baselines,
 * collected violations, config cache, the published schema): a reader, or a crash at any instant, sees the old
 * file or the new one, never a mix. The text goes to a temp file beside the target (`.<name>.<pid>.<random>.tmp`,
 * so two writers never share one), then is renamed over it. In the runtime because the runtime may import
 * nothing else; the CLI wraps it with its own error messages (cli/engine/atomic.ts).
 *
 * `durable`: also fsync the file before the rename and the folder after it, for files meant to outlive a power
 * cut (baselines are committed). The runtime's snapshots, rewritten every few milliseconds, skip it. Throws what
 * the file system threw, with the temp file removed.
 */
export function writeFileAtomic(file: string, text: string, durable = false): void {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", 0o644);
    writeSync(fd, text);
    if (durable) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    throw error;
  }
  if (durable) syncDirectory(dir);
}

function syncDirectory(dir: string): void {
  // Makes the rename itself durable. Not possible on every platform (Windows): best effort.
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // durability of the directory entry is an extra, not a correctness requirement
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
