/**
 * Reading the valibot schema back, so that error messages (the expected phrase of a missing key, the keys a
 * section accepts, where a misplaced key belongs) come from the same single definition as validation.
 */
import { configSchema } from "./schema";
import type { PathSegment } from "./key-path";

interface SchemaNode {
  readonly kind: string;
  readonly type: string;
  readonly message?: unknown;
  readonly wrapped?: SchemaNode;
  readonly pipe?: readonly SchemaNode[];
  readonly entries?: Readonly<Record<string, SchemaNode>>;
  readonly value?: SchemaNode;
  readonly item?: SchemaNode;
}

const ROOT = configSchema as unknown as SchemaNode;
const WRAPPERS = new Set(["optional", "nullish", "nullable", "exact_optional", "undefinedable"]);
const RECORD_KEY_LABEL: Readonly<Record<string, string>> = { overrides: "<glob>", budgets: "<bench name>" };

/** The structural schema under wrappers and pipes: the strict object, record or array that holds children. */
function core(node: SchemaNode): SchemaNode {
  let current = node;
  for (;;) {
    if (WRAPPERS.has(current.type) && current.wrapped) current = current.wrapped;
    else if (current.pipe) {
      const schemas = current.pipe.filter((item) => item.kind === "schema");
      const last = schemas[schemas.length - 1];
      if (last === undefined || last === current) return current;
      current = last;
    } else return current;
  }
}

function child(node: SchemaNode, segment: PathSegment): SchemaNode | undefined {
  const c = core(node);
  if (c.entries) return typeof segment === "string" && Object.hasOwn(c.entries, segment) ? c.entries[segment] : undefined;
  if (c.type === "record") return c.value;
  if (c.type === "array") return c.item;
  return undefined;
}

export function schemaAt(path: readonly PathSegment[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = ROOT;
  for (const segment of path) {
    if (node === undefined) return undefined;
    node = child(node, segment);
  }
  return node;
}

/** The "expected …" phrase of the value at `path` (the message of the first schema that judges it). */
export function expectedAt(path: readonly PathSegment[]): string | undefined {
  let node = schemaAt(path);
  while (node) {
    if (WRAPPERS.has(node.type) && node.wrapped) node = node.wrapped;
    else if (node.pipe && node.pipe[0] && node.pipe[0] !== node) node = node.pipe[0];
    else return typeof node.message === "string" ? node.message : undefined;
  }
  return undefined;
}

/** The keys the mapping at `path` accepts, in schema order (empty for records and non-mappings). */
export function keysAt(path: readonly PathSegment[]): string[] {
  const node = schemaAt(path);
  const entries = node ? core(node).entries : undefined;
  return entries ? Object.keys(entries) : [];
}

export interface KeyLocation {
  readonly name: string;
  /** Display path of the key, with placeholders for record keys: `benchmarks.budgets.<bench name>.p99`. */
  readonly path: string;
}

let allKeys: KeyLocation[] | undefined;

/** Every key the schema knows, wherever it is; for "belongs under …" hints. */
export function everyKey(): readonly KeyLocation[] {
  if (allKeys) return allKeys;
  const found: KeyLocation[] = [];
  const walk = (node: SchemaNode, display: string[]): void => {
    const c = core(node);
    if (c.entries) {
      for (const [name, sub] of Object.entries(c.entries)) {
        found.push({ name, path: [...display, name].join(".") });
        walk(sub, [...display, name]);
      }
    } else if (c.type === "record" && c.value) {
      walk(c.value, [...display, RECORD_KEY_LABEL[display[display.length - 1] ?? ""] ?? "<key>"]);
    }
  };
  walk(ROOT, []);
  allKeys = found;
  return found;
}
