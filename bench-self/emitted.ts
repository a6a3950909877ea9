/** The JavaScript a compile wrote, read back for byte comparisons and size totals. */
import * as fs from "node:fs";
import * as path from "node:path";

/** Every `.js` file under `dir`, keyed by its path relative to `dir` with `/` separators. */
export function readEmitted(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".js")) files.set(path.relative(dir, full).split(path.sep).join("/"), fs.readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

export function totalBytes(files: ReadonlyMap<string, Buffer>): number {
  let total = 0;
  for (const content of files.values()) total += content.length;
  return total;
}

export interface Comparison {
  readonly identical: boolean;
  readonly files: number;
  /** Files whose bytes differ, or that only one side has. */
  readonly differing: readonly string[];
  /** Where the first differing file first differs, for the report: `file:line`, both lines. */
  readonly firstDifference?: { readonly at: string; readonly left: string; readonly right: string };
}

export function compareEmitted(left: ReadonlyMap<string, Buffer>, right: ReadonlyMap<string, Buffer>): Comparison {
  const names = [...new Set([...left.keys(), ...right.keys()])].sort();
  const differing = names.filter((name) => {
    const a = left.get(name);
    const b = right.get(name);
    return a === undefined || b === undefined || !a.equals(b);
  });
  const first = differing[0];
  if (first === undefined) return { identical: true, files: names.length, differing };
  const a = (left.get(first)?.toString("utf8") ?? "(missing)").split("\n");
  const b = (right.get(first)?.toString("utf8") ?? "(missing)").split("\n");
  let line = 0;
  while (line < Math.max(a.length, b.length) && a[line] === b[line]) line++;
  return { identical: false, files: names.length, differing, firstDifference: { at: `${first}:${line + 1}`, left: a[line] ?? "(end of file)", right: b[line] ?? "(end of file)" } };
}
