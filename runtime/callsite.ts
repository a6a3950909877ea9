import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export interface SourceLocation {
  /** Relative to the working directory when inside it, else absolute; "" when unknown. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const UNKNOWN: SourceLocation = { file: "", line: 0, column: 0 };
// "    at fn (/a/b.js:12:5)", "    at /a/b.js:12:5", "    at async fn (file:///a/b.mjs:3:1)"
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * Where the code that called `api` is, best effort: the frame just above `api` in a stack trace. It is
 * the compiled JavaScript location, or the TypeScript one when source maps are enabled
 * (`node --enable-source-maps`), since the formatted stack is read rather than raw call sites.
 * The frames are cut at `api` itself (captureStackTrace), never by file: when the runtime is bundled, the
 * user's code and the runtime share one file (and an ESM bundle has no `__dirname`), so skipping "our" file
 * lost every location.
 */
export function callerLocation(api: (...args: never[]) => unknown): SourceLocation {
  const savedLimit = Error.stackTraceLimit;
  const holder: { stack?: string } = {};
  try {
    Error.stackTraceLimit = 8;
    Error.captureStackTrace(holder, api);
  } finally {
    Error.stackTraceLimit = savedLimit;
  }
  const stack = typeof holder.stack === "string" ? holder.stack : "";
  for (const line of stack.split("\n").slice(1)) {
    const match = FRAME.exec(line);
    if (match === null) continue;
    let file = match[1] as string;
    if (file.startsWith("node:") || file.startsWith("internal/")) continue;
    if (file.startsWith("file://")) {
      try {
        file = fileURLToPath(file);
      } catch {
        continue;
      }
    }
    return { file: displayPath(file), line: Number(match[2]), column: Number(match[3]) };
  }
  return UNKNOWN;
}

function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return file.split(sep).join("/");
  return rel.split(sep).join("/");
}
