/**
 * YAML text → plain data, plus where every value sits in the text. We convert the AST ourselves rather than
 * call `toJS()` so that each key path maps back to a line and column, duplicate keys name their first
 * occurrence, and alias expansion is bounded by the size it produces (an "alias bomb" fails fast, at the
 * alias that tips it over, instead of exhausting memory).
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Alias,
  type Document,
  type DocumentOptions,
  type Node,
  type ParseOptions,
  type SchemaOptions,
} from "yaml";
import { pathKey, type PathSegment } from "./key-path";

/** Nodes that alias expansion may produce in total; a hand-written config needs a few dozen. */
export const MAX_ALIAS_NODES = 10_000;
/** A config is a few kilobytes; anything this large is not one. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface Position {
  line: number;
  column: number;
}

/** Where one value of the data sits: its key (absent for list items and the root) and its value. */
export interface Placement {
  key?: Position;
  value: Position;
  /** The value was left empty (`key:` with nothing after it), so point at the key instead. */
  empty: boolean;
}

/** A problem found before schema validation: YAML syntax, tags, aliases, keys. */
export interface SourceProblem {
  position: Position;
  path: PathSegment[];
  expected: string;
  found: string;
  message: string;
  hint?: string;
}

export interface YamlSource {
  /** undefined for an empty file (or one holding only comments). */
  data: unknown;
  placements: Map<string, Placement>;
  problems: SourceProblem[];
  /** False when the data cannot be trusted (syntax errors, bad aliases): skip schema validation. */
  usable: boolean;
}

const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  // No custom tags, no `!!binary`/`!!set`/timestamps: only the core schema's plain data. Nothing in a
  // config can construct objects, let alone run code.
  schema: "core",
  customTags: [],
  resolveKnownTags: false,
  merge: false,
  version: "1.2",
  // Duplicates are reported by the converter, with the first occurrence's line.
  uniqueKeys: false,
  prettyErrors: false,
  strict: true,
};

class Bail extends Error {}

const ROOT_POSITION: Position = { line: 1, column: 1 };

export function readYaml(text: string): YamlSource {
  const lines = new LineCounter();
  const at = (offset: number): Position => {
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const placements = new Map<string, Placement>();
  const problems: SourceProblem[] = [];

  if (Buffer.byteLength(text, "utf8") > MAX_FILE_BYTES) {
    problems.push({
      position: ROOT_POSITION,
      path: [],
      expected: `a file of at most ${MAX_FILE_BYTES} bytes`,
      found: `${Buffer.byteLength(text, "utf8")} bytes`,
      message: `the file is too large to be a configuration (${Buffer.byteLength(text, "utf8")} bytes)`,
    });
    return { data: undefined, placements, problems, usable: false };
  }

  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lines });
  const list = Array.isArray(docs) ? docs : [docs];
  // A stream with only comments/directives has no documents (or one empty one): the defaults apply.
  const doc = list[0];
  if (doc === undefined) return { data: undefined, placements, problems, usable: true };

  let usable = true;
  for (const error of list.flatMap((d) => d.errors)) {
    usable = false;
    problems.push(syntaxProblem(doc, error.code, error.message, at(error.pos[0]), skipBlanks(text, error.pos[0], error.code)));
  }
  for (const warning of list.flatMap((d) => d.warnings)) {
    usable = false;
    problems.push(syntaxProblem(doc, warning.code, warning.message, at(warning.pos[0]), skipBlanks(text, warning.pos[0], warning.code)));
  }
  // A stray `---` at the end of the file opens an empty document; only one with content is a second document.
  const second = list.slice(1).find((d) => !isEmptyDocument(d));
  if (second !== undefined) {
    usable = false;
    const offset = second.range[0];
    const count = 1 + list.slice(1).filter((d) => !isEmptyDocument(d)).length;
    problems.push({
      position: at(offset),
      path: [],
      expected: "a single YAML document",
      found: `${count} documents`,
      message: `expected a single YAML document, found ${count} (separated by ---)`,
      hint: "remove the extra --- line and merge the documents",
    });
  }
  if (!usable) return { data: undefined, placements, problems, usable };

  const root = doc.contents;
  if (root === null || isEmptyDocument(doc)) return { data: undefined, placements, problems, usable: true };
  const converter = new Converter(doc, at, placements, problems);
  let data: unknown;
  try {
    placements.set(pathKey([]), { value: at(root.range?.[0] ?? 0), empty: false });
    data = converter.convert(root, []);
  } catch (error) {
    if (error instanceof Bail) return { data: undefined, placements, problems, usable: false };
    throw error;
  }
  // Duplicate and complex keys leave a usable tree behind: the schema is still checked, so all is reported.
  return { data, placements, problems, usable: true };
}

/** Tags, duplicate keys, complex keys and aliases: the checks yaml's own `toJS()` would not place for us. */
class Converter {
  private aliasNodes = 0;
  /** Key path of the outermost alias being expanded: where the user wrote it. */
  private aliasPath: PathSegment[] = [];
  /** Anchored nodes being expanded right now: an alias back into one of them is a cycle. */
  private readonly expanding = new Set<Node>();
  /** yaml's Alias.resolve() searches the whole document; a file with many aliases must not pay that per use. */
  private readonly resolved = new Map<Alias, Node | undefined>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly at: (offset: number) => Position,
    private readonly placements: Map<string, Placement>,
    private readonly problems: SourceProblem[],
  ) {}

  /** `via` is the outermost alias being expanded: everything inside it is placed at that alias. */
  convert(node: unknown, path: PathSegment[], via?: Alias): unknown {
    if (via !== undefined && ++this.aliasNodes > MAX_ALIAS_NODES) {
      this.problems.push({
        position: this.at(via.range?.[0] ?? 0),
        path: this.aliasPath,
        expected: `aliases that expand to at most ${MAX_ALIAS_NODES} values`,
        found: `alias *${via.source} expanding past that limit`,
        message: `YAML aliases expand to more than ${MAX_ALIAS_NODES} values (an "alias bomb"), found at alias *${via.source}`,
        hint: "write the values out, or use fewer nested aliases",
      });
      throw new Bail();
    }
    if (isAlias(node)) return this.convertAlias(node, path, via);
    if (isScalar(node)) return node.value;
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, index) => {
        const itemPath = [...path, index];
        this.place(itemPath, undefined, item, via);
        out.push(this.convert(item, itemPath, via));
      });
      return out;
    }
    if (isMap(node)) return this.convertMap(node.items, path, via);
    // An empty value in a flow or block collection.
    return null;
  }

  private convertAlias(alias: Alias, path: PathSegment[], via: Alias | undefined): unknown {
    const target = this.resolve(alias);
    const position = this.at((via ?? alias).range?.[0] ?? 0);
    if (via === undefined) this.aliasPath = path;
    const where = this.aliasPath;
    if (target === undefined) {
      this.problems.push({
        position,
        path: where,
        expected: "an alias to an anchor defined earlier in the file",
        found: `*${alias.source}`,
        message: `unknown alias *${alias.source}: no &${alias.source} anchor before it`,
      });
      throw new Bail();
    }
    if (this.expanding.has(target)) {
      this.problems.push({
        position,
        path: where,
        expected: "an alias outside the value it refers to",
        found: `*${alias.source} inside &${alias.source}`,
        message: `alias *${alias.source} refers to a value that contains it (a cycle)`,
      });
      throw new Bail();
    }
    this.expanding.add(target);
    try {
      return this.convert(target, path, via ?? alias);
    } finally {
      this.expanding.delete(target);
    }
  }

  private resolve(alias: Alias): Node | undefined {
    if (!this.resolved.has(alias)) this.resolved.set(alias, alias.resolve(this.doc));
    return this.resolved.get(alias);
  }

  private convertMap(items: readonly { key: unknown; value: unknown }[], path: PathSegment[], via: Alias | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const firstSeen = new Map<string, number>();
    for (const pair of items) {
      const keyNode = isAlias(pair.key) ? this.resolve(pair.key) : pair.key;
      const keyOffset = nodeStart(pair.key) ?? nodeStart(pair.value) ?? 0;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === "object") {
        this.problems.push({
          position: this.at((via?.range?.[0]) ?? keyOffset),
          path,
          expected: PLAIN_KEY,
          found: describeKey(keyNode),
          message: `expected ${PLAIN_KEY}, found ${describeKey(keyNode)}`,
        });
        continue;
      }
      const key = String(keyNode.value);
      const keyPath = [...path, key];
      const line = this.at(keyOffset).line;
      const first = firstSeen.get(key);
      if (first !== undefined) {
        this.problems.push({
          position: this.at(via?.range?.[0] ?? keyOffset),
          path: keyPath,
          expected: "each key once per mapping",
          found: `${JSON.stringify(key)} again (first at line ${first})`,
          message: `duplicate key ${JSON.stringify(key)} (first at line ${first})`,
          hint: "keep one of them (merge the two if both hold settings you want)",
        });
      } else {
        firstSeen.set(key, line);
      }
      this.place(keyPath, pair.key, pair.value, via);
      // defineProperty: a `__proto__` key must be reported as unknown, not rewire the object's prototype.
      Object.defineProperty(out, key, { value: this.convert(pair.value, keyPath, via), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  private place(path: PathSegment[], keyNode: unknown, valueNode: unknown, via: Alias | undefined): void {
    // Inside an alias expansion nothing is placed: problems there are reported at the alias, the nearest
    // placed ancestor (and a bomb does not get to fill this map).
    if (via !== undefined) return;
    const keyStart = nodeStart(keyNode);
    const valueStart = nodeStart(valueNode);
    const empty = valueStart === undefined || (isScalar(valueNode) && valueNode.value === null && valueNode.source === "");
    const placement: Placement = { value: this.at(valueStart ?? keyStart ?? 0), empty };
    if (keyStart !== undefined) placement.key = this.at(keyStart);
    this.placements.set(pathKey(path), placement);
  }
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  const root = doc.contents;
  return root === null || (isScalar(root) && root.value === null);
}

const PLAIN_KEY = "a plain key (a word or a quoted string)";

function describeKey(node: unknown): string {
  if (isSeq(node)) return "a list used as a key";
  if (isMap(node)) return "a mapping used as a key";
  return "an empty key";
}

function nodeStart(node: unknown): number | undefined {
  if (typeof node !== "object" || node === null || !("range" in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}

/** An error placed on indentation is about the key that follows it on the line. */
function skipBlanks(text: string, offset: number, code: string): number {
  // A tab-indented line is parsed as if unindented, so its key says little; the key above names the place.
  if (code === "TAB_AS_INDENT") return offset;
  let i = offset;
  while (text[i] === " " || text[i] === "\t") i++;
  return i;
}

const TAB_HINT = "YAML does not allow tabs for indentation; indent with spaces";

function syntaxProblem(doc: Document.Parsed, code: string, message: string, position: Position, offset: number): SourceProblem {
  const path = pathNear(doc.contents, offset);
  const text = message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
  if (code === "TAB_AS_INDENT") {
    return { position, path, expected: "spaces for indentation", found: "a tab", message: "tab used for indentation", hint: TAB_HINT };
  }
  if (code === "TAG_RESOLVE_FAILED") {
    const tag = text.replace(/^Unresolved tag: /, "").replace(/^tag:yaml\.org,2002:/, "!!");
    return {
      position,
      path,
      expected: "plain YAML values (no tags)",
      found: `the tag ${tag}`,
      message: `unsupported tag ${tag}`,
      hint: "tags are not supported; write the value as plain YAML",
    };
  }
  const unclosed = /end with a [}\]]/.test(text) ? "check that every { and [ opened above this line is closed" : undefined;
  const problem: SourceProblem = { position, path, expected: "valid YAML", found: text, message: `YAML syntax error: ${text}` };
  if (unclosed) problem.hint = unclosed;
  return problem;
}

/** The key at or just before `offset`, so a syntax error still names where in the file it is. */
function pathNear(root: unknown, offset: number): PathSegment[] {
  let best: PathSegment[] = [];
  const visit = (node: unknown, path: PathSegment[]): void => {
    const entries: [PathSegment, unknown, unknown][] = isMap(node)
      ? node.items.map((pair) => [isScalar(pair.key) ? String(pair.key.value) : "?", pair.key, pair.value])
      : isSeq(node)
        ? node.items.map((item, index) => [index, item, item])
        : [];
    for (const [segment, first, value] of entries) {
      const start = nodeStart(first);
      if (start === undefined || start > offset) return;
      best = [...path, segment];
      // Descend only into a value that extends to the error; otherwise this key is merely the one before it.
      if (nodeEnd(value) > offset) visit(value, best);
    }
  };
  visit(root, []);
  return best;
}

function nodeEnd(node: unknown): number {
  if (typeof node !== "object" || node === null || !("range" in node)) return -1;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[2] ?? -1;
}
