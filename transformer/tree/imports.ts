import type * as ts from "typescript";
import { moduleStatements } from "../programmers/module";
import type { TreeFile } from "./context";
import { withHeader } from "./nodes";

/**
 * The runtime's import once the annotations are gone: the core says which declarations and specifiers nothing
 * uses any more. TypeScript decided its own import elision on the source as written (where the annotations still
 * used `perf`), so they are dropped here, or `@choragen/perf` would still be required in production.
 */
export function isRewrittenImport(file: TreeFile, node: ts.Node): node is ts.ImportDeclaration {
  const { tsi } = file;
  if (!tsi.isImportDeclaration(node)) return false;
  if (file.removed.has(node)) return true;
  const named = node.importClause?.namedBindings;
  return named !== undefined && tsi.isNamedImports(named) && named.elements.some((e) => file.removed.has(e));
}

export function emitRewrittenImport(file: TreeFile, node: ts.ImportDeclaration): ts.Node | undefined {
  if (file.removed.has(node)) return undefined;
  const { factory: f } = file;
  const clause = node.importClause!;
  const named = clause.namedBindings as ts.NamedImports;
  const kept = named.elements.filter((e) => !file.removed.has(e));
  const bindings = f.updateNamedImports(named, kept);
  return f.updateImportDeclaration(node, node.modifiers, f.updateImportClause(clause, clause.phaseModifier, clause.name, bindings), node.moduleSpecifier, node.attributes);
}

/** The probe surface's import and the file's registered contracts, after the leading imports and directives. */
export function withModuleHeader(file: TreeFile, sourceFile: ts.SourceFile): ts.SourceFile {
  const { tsi, factory: f, decision } = file;
  if (decision.contracts.length === 0) return sourceFile;
  const contracts = decision.contracts.map((c) => ({ name: f.createIdentifier(c.name), facts: c.facts }));
  return withHeader(tsi, f, sourceFile, moduleStatements(tsi, f, file.importStyle, file.prefix, file.used, contracts));
}
