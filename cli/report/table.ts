import { visibleLength } from "../color";

export type Align = "left" | "right";

export interface Column {
  readonly header: string;
  readonly align: Align;
}

function pad(text: string, width: number, align: Align): string {
  const fill = " ".repeat(Math.max(0, width - visibleLength(text)));
  return align === "left" ? text + fill : fill + text;
}

/** Plain text table: cells may carry ANSI styles, widths are measured without them. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths = columns.map((column, i) => Math.max(visibleLength(column.header), ...rows.map((row) => visibleLength(row[i] ?? ""))));
  const line = (cells: readonly string[]): string =>
    indent +
    cells
      .map((cell, i) => {
        const column = columns[i];
        const width = widths[i] ?? 0;
        // The last left-aligned column is not padded: trailing blanks only make copy/paste worse.
        if (i === cells.length - 1 && column?.align === "left") return cell;
        return pad(cell, width, column?.align ?? "left");
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

export function tableWidth(lines: readonly string[]): number {
  return Math.max(0, ...lines.map(visibleLength));
}
