import type { FileFailure } from "../engine/types";

type Located = Pick<FileFailure, "file" | "line" | "column">;

/** Where a bench file failed: `file`, `file:line` or `file:line:column`. */
export function failureLocation(failure: Located): string {
  if (failure.line === undefined) return failure.file;
  return `${failure.file}:${failure.line}${failure.column === undefined ? "" : `:${failure.column}`}`;
}

/**
 * A failure message's first line, without the location it starts with (TypeScript's `file:line:col - `,
 * or `file: `) when that is the location shown beside it, so a report names the place once.
 */
export function failureSummary(failure: Located & Pick<FileFailure, "message">, location = failureLocation(failure)): string {
  return withoutLocation(failure.message.split("\n", 1)[0] ?? "", location);
}

/** `message` without a leading `location - ` or `location: `. */
export function withoutLocation(message: string, location: string): string {
  for (const separator of [" - ", ": "]) {
    if (message.startsWith(`${location}${separator}`)) return message.slice(location.length + separator.length);
  }
  return message;
}
