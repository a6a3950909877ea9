/**
 * Errors the CLI turns into exit codes. Anything the user can fix (a flag, the config, a missing
 * results file) is a `CliError` with exit code 2 and a message written as one readable paragraph;
 * anything else is a bug and gets its stack trace only under `--verbose`.
 */
import { ConfigError } from "../config/config-error";
import { EngineError } from "./engine/types";
import { guardLines, terminalLines } from "./safe-text";

export const EXIT_USAGE = 2;

export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}

/**
 * Clipanion's errors about the command line: the user's to fix. Recognised by name because clipanion exports
 * only UsageError of them; ours are recognised by their class.
 */
const CLIPANION_USER_ERRORS = new Set(["UsageError", "UnknownSyntaxError", "AmbiguousSyntaxError"]);

/** Errors that are the user's to fix: their message is the whole story. */
export function isUserError(error: unknown): error is Error {
  if (error instanceof CliError || error instanceof ConfigError || error instanceof EngineError) return true;
  return error instanceof Error && CLIPANION_USER_ERRORS.has(error.name);
}

export interface FormattedError {
  readonly text: string;
  readonly exitCode: number;
}

/**
 * The text printed to stderr for an error, and the exit code it maps to. Messages quote user text
 * (file names, refs, `--filter` values, bench names): made safe here, once (safe-text.ts).
 */
export function formatError(error: unknown, verbose: boolean): FormattedError {
  const { text, exitCode } = formatErrorText(error, verbose);
  return { text: guardLines(terminalLines(text)), exitCode };
}

function formatErrorText(error: unknown, verbose: boolean): FormattedError {
  if (isUserError(error)) {
    const exitCode = error instanceof CliError ? error.exitCode : EXIT_USAGE;
    const text = `choragen: ${error.message.trimEnd()}`;
    return { text: verbose && error.stack ? `${text}\n\n${stackOnly(error.stack)}` : text, exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  const head = `choragen: internal error: ${message}`;
  if (verbose) {
    const stack = error instanceof Error && error.stack ? `\n\n${stackOnly(error.stack)}` : "";
    return { text: `${head}${stack}`, exitCode: EXIT_USAGE };
  }
  return { text: `${head}\n(this is a bug in choragen; run again with --verbose for the stack trace and report it)`, exitCode: EXIT_USAGE };
}

function stackOnly(stack: string): string {
  return stack
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .join("\n");
}
