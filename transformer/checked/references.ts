import type * as ts from "typescript";

/**
 * A test for "is this node inside one of these": a walk up the node's parents, so that checking every reference of
 * a file against every removed annotation stays linear in the file (comparing ranges pairwise was quadratic).
 */
export function within(nodes: Iterable<ts.Node>): (node: ts.Node) => boolean {
  const set = new Set(nodes);
  return (node) => {
    for (let current: ts.Node | undefined = node; current !== undefined; current = current.parent) if (set.has(current)) return true;
    return false;
  };
}

/** Every identifier of a file by its text, gathered in one walk however many bindings are looked up. */
const identifiersByText = new WeakMap<ts.SourceFile, Map<string, (ts.Identifier | ts.ShorthandPropertyAssignment)[]>>();

function identifiersOf(tsi: typeof ts, sourceFile: ts.SourceFile): Map<string, (ts.Identifier | ts.ShorthandPropertyAssignment)[]> {
  let index = identifiersByText.get(sourceFile);
  if (index) return index;
  const built = new Map<string, (ts.Identifier | ts.ShorthandPropertyAssignment)[]>();
  const add = (text: string, node: ts.Identifier | ts.ShorthandPropertyAssignment): void => {
    const list = built.get(text);
    if (list) list.push(node);
    else built.set(text, [node]);
  };
  const walk = (node: ts.Node): void => {
    if (tsi.isIdentifier(node)) add(node.text, node);
    else if (tsi.isShorthandPropertyAssignment(node)) add(node.name.text, node);
    tsi.forEachChild(node, walk);
  };
  walk(sourceFile);
  index = built;
  identifiersByText.set(sourceFile, index);
  return index;
}

export function referencesOf(tsi: typeof ts, checker: ts.TypeChecker, sourceFile: ts.SourceFile, text: string, symbol: ts.Symbol): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  for (const node of identifiersOf(tsi, sourceFile).get(text) ?? []) {
    if (tsi.isShorthandPropertyAssignment(node)) {
      if (checker.getShorthandAssignmentValueSymbol(node) === symbol) found.push(node.name);
    } else if (checker.getSymbolAtLocation(node) === symbol) {
      found.push(node);
    }
  }
  return found;
}

