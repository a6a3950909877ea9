/**
 * Text from the user's code (bench, group and file names, exception messages, timer names, git refs)
 * made harmless for each kind of output, in one place. Reporters render a report passed through
 * `reportForText` (one layer for terminals, CI logs, markdown and XML); the progress lines and the
 * error messages on stderr go through `terminalLine` and `guardLines`. JSON keeps the real text
 * (JSON.stringify escapes control characters itself).
 *
 * What could go wrong without it (issue 14): a newline then `::error::`, `::add-mask::` or
 * `::stop-commands::` becomes a GitHub workflow command; ESC/CSI/OSC sequences drive the terminal
 * (clear it, retitle it, hide text, write a hyperlink); a lone CR rewrites a log line or ends a
 * markdown table row; raw HTML and backticks change the markdown summary.
 */

/**
 * Characters shown as escapes: C0 controls (ESC, CR, LF, TAB, BEL…), DEL, C1 controls (CSI is U+009B),
 * the Unicode line and paragraph separators and the bidirectional overrides and isolates, which
 * reorder what a reader sees (Trojan Source, CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u001b": "\\x1b" };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}

/** One line of text for a terminal or a log: every control character shown as an escape (`\n`, `\x1b`). */
export function terminalLine(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Text whose line breaks are meant (a multi-line error message): each line made safe, the breaks kept. */
export function terminalLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => terminalLine(line))
    .join("\n");
}

/**
 * A line that starts (after white space) with `::` (GitHub Actions), `##[` (commands of older runners)
 * or `##vso[` (Azure Pipelines) would be read as a workflow command. Our own commands are
 * written apart from the text this guards; a guarded line gets a zero-width space before the marker,
 * which a reader does not see and a runner does not trim.
 */
export function guardLines(text: string): string {
  return text.replace(/^([\s\u0085]*)(::|##\[|##vso\[)/gm, "$1\u200B$2");
}

/** Keys whose values are multi-line on purpose: renderers show their first line, JUnit all of them. */
const MULTILINE_KEYS = new Set(["error", "message"]);

/**
 * A copy of `value` (a report, a progress event) with every string made safe for text output: control
 * characters shown as escapes; in error messages each line separately. Object keys are user text too
 * (violation counts are keyed by contract id) and go through the same function, so lookups still match.
 */
export function safeForText<T>(value: T): T {
  return mapStrings(value, undefined) as T;
}

function mapStrings(value: unknown, key: string | undefined): unknown {
  if (typeof value === "string") return key !== undefined && MULTILINE_KEYS.has(key) ? terminalLines(value) : terminalLine(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, key));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? (Object.create(null) as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(value)) {
      // Own data keys only; "__proto__" as a key must stay a key, not become the prototype.
      Object.defineProperty(out, terminalLine(k), { value: mapStrings(v, k), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/**
 * Text inside markdown (a table cell, a list item), on one line: the ASCII punctuation that can open a
 * code span, emphasis, strikethrough, a link or image, raw HTML or an entity, or end a table cell, is
 * backslash-escaped (CommonMark allows that before any ASCII punctuation), so a name shows as written.
 * Marks that matter only at the start of a line (`#`, `-`, `+`, `>` is escaped anyway) never get there:
 * user text is never the start of a markdown line.
 */
export function markdownText(text: string): string {
  return terminalLine(text).replace(/[\\`*_[\]<>|~&]/g, "\\$&");
}

/**
 * A code span holding `text` as written: fenced with one backtick more than the longest run inside it,
 * padded when it starts or ends with a backtick. Inside a table a pipe must still be escaped
 * (GitHub-flavoured tables split cells before reading code spans), and a code span shows the backslash
 * of `\|` literally elsewhere, so `inTable` says which.
 */
export function markdownCode(text: string, inTable: boolean): string {
  const line = terminalLine(text);
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = line.startsWith("`") || line.endsWith("`") || line === "" ? " " : "";
  const body = inTable ? line.replace(/\|/g, "\\|") : line;
  return `${fence}${pad}${body}${pad}${fence}`;
}
