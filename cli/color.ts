/**
 * Colour decisions and the few ANSI styles the reports use. Kept dependency-free so `perf:check`
 * starts fast: chalk-like libraries would be the heaviest import on that path.
 */

export interface ColorEnv {
  readonly NO_COLOR?: string | undefined;
  readonly FORCE_COLOR?: string | undefined;
  readonly TERM?: string | undefined;
}

/**
 * Colour only on a terminal, never with `NO_COLOR` (any non-empty value, per no-color.org) or
 * `FORCE_COLOR=0|false`. A non-zero `FORCE_COLOR` turns it on even when piped, the convention CI
 * systems that render ANSI rely on.
 */
export function shouldColor(env: ColorEnv, stream: { readonly isTTY?: boolean }): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    const value = force.trim().toLowerCase();
    if (value === "0" || value === "false") return false;
    return true;
  }
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

function wrap(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const identity = (text: string): string => text;

export function makeStyle(enabled: boolean): Style {
  if (!enabled) {
    return { enabled, bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity, magenta: identity };
  }
  return {
    enabled,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    magenta: wrap(35, 39),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Printable width of a string that may hold ANSI styles (our output is BMP-only, one cell each). */
export function visibleLength(text: string): number {
  return text.replace(ANSI, "").length;
}

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}
