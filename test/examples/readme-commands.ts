/** Reads the shell commands out of README.md's bash/sh code blocks. */

export interface ShellCommand {
  /** The command as written (one of possibly several joined by `&&`, `||`, `;` or `|`). */
  readonly text: string;
  /** Words, with quotes removed and leading `NAME=value` assignments dropped. */
  readonly words: readonly string[];
  /** 1-based line of the code block's line in the README. */
  readonly line: number;
}

export interface CodeBlock {
  readonly lang: string;
  readonly body: string;
  /** 1-based README line of the block's first body line. */
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

function words(text: string): string[] {
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
