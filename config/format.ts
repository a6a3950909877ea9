import { stringify } from "yaml";
import { formatKeyPath, type PathSegment } from "./key-path";
import type { LoadedConfig } from "./types";

/** Past this width comments stop being aligned, so one long glob does not push every comment right. */
const MAX_COMMENT_COLUMN = 64;

/** Globs and names with spaces or punctuation are quoted (JSON strings are valid YAML), the rest left plain. */
function yamlString(text: string): string {
  if (/[*?[\]{}!,:#&|>'"%@`\\\s]/.test(text) || text === "") return JSON.stringify(text);
  return stringify(text, { lineWidth: 0 }).trimEnd();
}

function yamlValue(value: unknown): string {
  if (typeof value === "string") return yamlString(value);
  if (Array.isArray(value)) return `[${value.map(yamlValue).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => `${yamlString(k)}: ${yamlValue(v)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return String(value);
}

function isSection(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !("max" in value) && Object.keys(value).length > 0;
}

/**
 * The resolved configuration as YAML (valid input for the same loader), each value annotated with where it
 * came from: `# from file` or `# default`. What `--print-config` shows.
 */
export function formatConfig(loaded: LoadedConfig): string {
  const rows: { text: string; comment?: string }[] = [];
  const walk = (value: Record<string, unknown>, path: PathSegment[], indent: string): void => {
    for (const [key, sub] of Object.entries(value)) {
      const subPath = [...path, key];
      if (isSection(sub)) {
        rows.push({ text: `${indent}${yamlString(key)}:` });
        walk(sub, subPath, `${indent}  `);
      } else {
        const origin = loaded.sources.get(formatKeyPath(subPath)) === "file" ? "from file" : "default";
        rows.push({ text: `${indent}${yamlString(key)}: ${yamlValue(sub)}`, comment: origin });
      }
    }
  };
  walk(loaded.config as unknown as Record<string, unknown>, [], "");
  const width = Math.min(MAX_COMMENT_COLUMN, Math.max(...rows.filter((r) => r.comment).map((r) => r.text.length)));
  const header = [
    `# Configuration in effect`,
    loaded.file === null ? "# file: none found (all values are defaults)" : `# file: ${loaded.file}`,
    `# root: ${loaded.root}`,
  ];
  const body = rows.map((r) => (r.comment ? `${r.text.padEnd(width)}  # ${r.comment}` : r.text));
  return `${[...header, ...body].join("\n")}\n`;
}
