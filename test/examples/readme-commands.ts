/** Reads what the documentation shows (README.md, CONTRIBUTING.md, docs/*.md): shell commands, inline code, links, headings. */

export interface ShellCommand {
  /** The command as written (one of possibly several joined by `&&`, `||`, `;` or `|`). */
  readonly text: string;
  /** Words, with quotes removed and leading `NAME=value` assignments dropped. */
  readonly words: readonly string[];
  /** 1-based line in the markdown file. */
  readonly line: number;
}

export interface CodeBlock {
  readonly lang: string;
  readonly body: string;
  /** 1-based line of the block's first body line. */
  readonly line: number;
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] ?? "");
    if (open === null) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? "")) end++;
    blocks.push({ lang: open[1] ?? "", body: lines.slice(start, end).join("\n"), line: start + 1 });
    i = end;
  }
  return blocks;
}

export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  while (out.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(out[0] ?? "")) out.shift();
  return out;
}

/** Every command of every ```bash / ```sh block, split at `&&`, `||`, `;` and `|` outside quotes. */
export function shellCommands(markdown: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  for (const block of codeBlocks(markdown)) {
    if (block.lang !== "bash" && block.lang !== "sh") continue;
    const lines = block.body.replace(/\\\n/g, " ").split("\n");
    lines.forEach((raw, index) => {
      const line = raw.replace(/(^|\s)#.*$/, "").trim();
      if (line === "") return;
      const parts = line.match(/(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^&|;"'])+/g) ?? [];
      for (const part of parts) {
        const text = part.trim();
        if (text !== "") commands.push({ text, words: words(text), line: block.line + index });
      }
    });
  }
  return commands;
}

/** Lines outside fenced code blocks, with their 1-based line numbers. */
function prose(markdown: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let fenced = false;
  markdown.split("\n").forEach((text, index) => {
    if (/^```/.test(text)) fenced = !fenced;
    else if (!fenced) out.push({ text, line: index + 1 });
  });
  return out;
}

export interface InlineCode {
  readonly text: string;
  readonly line: number;
}

/** Every `inline code` span of the prose (tables included), outside fenced blocks. */
export function inlineCode(markdown: string): InlineCode[] {
  const spans: InlineCode[] = [];
  for (const { text, line } of prose(markdown)) {
    for (const m of text.matchAll(/(`+)(.+?)\1/g)) spans.push({ text: (m[2] ?? "").trim(), line });
  }
  return spans;
}

export interface Link {
  readonly target: string;
  readonly line: number;
}

/** Every inline link `[text](target)` of the prose (images too), outside fenced blocks and code spans. */
export function links(markdown: string): Link[] {
  const found: Link[] = [];
  for (const { text, line } of prose(markdown)) {
    const withoutCode = text.replace(/(`+).+?\1/g, "");
    for (const m of withoutCode.matchAll(/\]\(([^()\s]+)\)/g)) found.push({ target: m[1] ?? "", line });
  }
  return found;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, … */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of prose(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (heading === null) continue;
    const slug = (heading[1] ?? "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
