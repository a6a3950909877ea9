/**
 * A bench file's process and everything it starts, as one unit. The runner starts each bench process
 * as the leader of a process group of its own (`detached`); a helper the bench file forks and leaves
 * running is in that group, so killing the group leaves nothing behind, and no inherited stdout or
 * stderr pipe keeps the CLI waiting. Windows has no process groups: there the process alone is killed.
 */
import type { ChildProcess } from "node:child_process";

/** SIGKILL to the child's whole process group (the child itself included, if still running). */
export function killGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform !== "win32") {
    try {
      process.kill(-pid, "SIGKILL");
      return;
    } catch {
      // ESRCH: the group is empty already. Fall through for the child itself (it may not lead a group).
    }
  }
  try {
    child.kill("SIGKILL");
  } catch {
    // Already gone.
  }
}

/**
 * Resolves once the child's IPC channel is drained and its stdout and stderr have closed, or after
 * `graceMs`, when the pipes are destroyed: a process that left the group (setsid) may still hold them,
 * and must not hold the run with them. (The "exit" event can come before the last IPC messages are read.)
 */
export function afterPipesClose(child: ChildProcess, graceMs: number): Promise<void> {
  const pipes = [child.stdout, child.stderr].filter((p): p is NonNullable<typeof p> => p !== null && !p.destroyed);
  const waits = [
    ...pipes.map((p) => new Promise<void>((resolve) => p.once("close", () => resolve()))),
    ...(child.connected ? [new Promise<void>((resolve) => child.once("disconnect", () => resolve()))] : []),
  ];
  if (waits.length === 0) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      for (const p of pipes) p.destroy();
      if (child.connected) child.disconnect();
      resolve();
    }, graceMs);
  });
  return Promise.race([Promise.all(waits).then(() => undefined), grace]).finally(() => clearTimeout(timer));
}
