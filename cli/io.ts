/** What a command's action sees of the outside world; commands build it from clipanion's context. */
import { makeStyle, shouldColor, type Style } from "./color";
import { guardLines, terminalLines } from "./safe-text";

/** The parts of a stream the reports use; a terminal adds isTTY and columns. */
export interface OutStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CommandIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
}

export function stdoutColor(io: CommandIo): boolean {
  return shouldColor(io.env, io.stdout);
}

export function stderrStyle(io: CommandIo): Style {
  return makeStyle(shouldColor(io.env, io.stderr));
}

export function note(io: CommandIo, text: string): void {
  io.stderr.write(`${guardLines(terminalLines(text))}\n`);
}
