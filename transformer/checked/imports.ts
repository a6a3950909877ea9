import type * as ts from "typescript";
import { metadataReferences } from "../match/decorator-metadata";
import { isRuntimeBinding } from "../match/runtime-symbol";
import type { ProgramContext } from "./context";
import { referencesOf, within } from "./references";
import { withStatements } from "../tree/nodes";

/**
 * TypeScript decides import elision from the original source, where the annotations still used the import, and
 * does not elide an import a transformer has touched. So once the annotations are gone, this applies its rules
 * itself: a binding stays only if a value reference to it is left (or, under emitDecoratorMetadata, a signature
 * that still has a decorator names it); type-only specifiers go; a declaration with nothing left goes (under
 * verbatimModuleSyntax the rest stays as written, less what we removed, as TypeScript would). The runtime's import
 * is always rewritten; another import only when something we removed was what kept one of its names.
 */
export function dropUnusedImports(pc: ProgramContext, f: ts.NodeFactory, original: ts.SourceFile, current: ts.SourceFile, removed: readonly ts.Node[]): ts.SourceFile {
  const { tsi, checker } = pc;
  const verbatim = pc.verbatimModuleSyntax;
  const removedSet = new Set(removed);
  const isRemoved = within(removed);
  let metadata: { before: Set<ts.Identifier>; after: Set<ts.Identifier> } | undefined;
  const metadataRefs = (): { before: Set<ts.Identifier>; after: Set<ts.Identifier> } => {
    if (metadata) return metadata;
    if (!pc.decoratorMetadata || !removed.some((n) => tsi.isDecorator(n))) return (metadata = { before: new Set(), after: new Set() });
    const decorators = (node: ts.HasDecorators): readonly ts.Decorator[] => tsi.getDecorators(node) ?? [];
    return (metadata = {
      before: metadataReferences(tsi, original, (node) => decorators(node).length > 0, pc.strictNullChecks),
      after: metadataReferences(tsi, original, (node) => decorators(node).some((d) => !removedSet.has(d)), pc.strictNullChecks),
    });
  };
  const exported = new Set<string>();
  for (const statement of original.statements) {
    if (tsi.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && tsi.isNamedExports(statement.exportClause)) {
      for (const e of statement.exportClause.elements) exported.add((e.propertyName ?? e.name).text);
    } else if (tsi.isExportAssignment(statement) && tsi.isIdentifier(statement.expression)) {
      exported.add(statement.expression.text);
    }
  }
  const hasValue = (binding: ts.Identifier): boolean => {
    const symbol = checker.getSymbolAtLocation(binding);
    if (!symbol) return false;
    const target = symbol.flags & tsi.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return (target.flags & tsi.SymbolFlags.Value) !== 0 && (target.flags & tsi.SymbolFlags.ConstEnum) === 0;
  };
  /** Whether TypeScript keeps the binding: in the source as written (`before`) and once our removals are done. */
  const usage = (binding: ts.Identifier): { before: boolean; after: boolean } => {
    if (exported.has(binding.text)) return { before: true, after: true };
    const symbol = checker.getSymbolAtLocation(binding);
    if (!symbol) return { before: true, after: true };
    const refs = referencesOf(tsi, checker, original, binding.text, symbol).filter((ref) => ref !== binding);
    const values = refs.filter((ref) => !isInTypePosition(tsi, ref));
    const { before, after } = metadataRefs();
    const value = hasValue(binding);
    return {
      before: values.length > 0 || (value && refs.some((ref) => before.has(ref))),
      after: values.some((ref) => !isRemoved(ref)) || (value && refs.some((ref) => after.has(ref))),
    };
  };
  /** Under verbatimModuleSyntax a binding with no reference at all stays, as TypeScript would keep it. */
  const keep = (binding: ts.Identifier): boolean => {
    const { before, after } = usage(binding);
    return verbatim ? after || !before : after;
  };
  const importsRuntime = (declaration: ts.ImportDeclaration): boolean => {
    const clause = declaration.importClause;
    const names = [clause?.name, clause?.namedBindings && tsi.isNamespaceImport(clause.namedBindings) ? clause.namedBindings.name : undefined, ...(clause?.namedBindings && tsi.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.map((e) => e.name) : [])];
    return names.some((name) => name !== undefined && isRuntimeBinding(tsi, checker, pc.isRuntimeFile, name));
  };
  /** A name TypeScript would have kept and now must not: only then is a declaration not ours rewritten. */
  const lostItsUse = (declaration: ts.ImportDeclaration): boolean => {
    const clause = declaration.importClause;
    if (!clause) return false;
    const names = [clause.name, clause.namedBindings && tsi.isNamespaceImport(clause.namedBindings) ? clause.namedBindings.name : undefined, ...(clause.namedBindings && tsi.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.filter((e) => !e.isTypeOnly).map((e) => e.name) : [])];
    return names.some((name) => {
      if (name === undefined) return false;
      const { before, after } = usage(name);
      return before && !after;
    });
  };
  let changed = false;
  const statements: ts.Statement[] = [];
  let carried: ts.SynthesizedComment[] = [];
  const push = (statement: ts.Statement): void => {
    if (carried.length > 0) {
      tsi.setSyntheticLeadingComments(statement, [...carried, ...(tsi.getSyntheticLeadingComments(statement) ?? [])]);
      carried = [];
    }
    statements.push(statement);
  };
  for (const statement of current.statements) {
    const source = tsi.getOriginalNode(statement);
    const clause = tsi.isImportDeclaration(statement) ? statement.importClause : undefined;
    if (!clause || clause.isTypeOnly || !tsi.isImportDeclaration(source) || !(importsRuntime(source) || (!verbatim && lostItsUse(source)))) {
      push(statement);
      continue;
    }
    // Rewritten whole, by TypeScript's rules: once touched, TypeScript no longer elides anything in it.
    const declaration = statement as ts.ImportDeclaration;
    const defaultName = clause.name && keep(clause.name) ? clause.name : undefined;
    let bindings = clause.namedBindings;
    let emptyNamed = false;
    if (bindings && tsi.isNamespaceImport(bindings) && !keep(bindings.name)) bindings = undefined;
    else if (bindings && tsi.isNamedImports(bindings)) {
      const kept = bindings.elements.filter((e) => !e.isTypeOnly && keep(e.name));
      // Under verbatimModuleSyntax, `import { type X }` alone still emits `import {}`: the source written without
      // annotations keeps its type-only names, so only a declaration left with nothing at all goes.
      emptyNamed = kept.length === 0 && !(verbatim && bindings.elements.some((e) => e.isTypeOnly));
      bindings = kept.length === bindings.elements.length ? bindings : f.updateNamedImports(bindings, kept);
    }
    if (defaultName === clause.name && bindings === clause.namedBindings) {
      push(statement);
      continue;
    }
    changed = true;
    // Nothing left: the declaration goes, under verbatimModuleSyntax too (`import {} from` would still load the
    // whole runtime, which the source written without annotations never imported).
    if (!defaultName && (!bindings || emptyNamed)) {
      // The source written without annotations has no runtime import: a comment written on it (a licence header)
      // belongs there to what follows, so it moves to the next statement. An import TypeScript would have elided
      // anyway loses its comments, as TypeScript's own elision does.
      if (importsRuntime(source)) carried.push(...leadingComments(tsi, original, source));
      continue;
    }
    push(f.updateImportDeclaration(declaration, declaration.modifiers, f.updateImportClause(clause, clause.phaseModifier, defaultName, bindings), declaration.moduleSpecifier, declaration.attributes));
  }
  return changed ? withStatements(tsi, f, current, statements) : current;
}

/**
 * A statement's own leading comments, as written, for another statement to emit. At the start of the file, the
 * first group of comments followed by a blank line is the file's detached header, which TypeScript emits from the
 * file itself whatever the first statement is: that group is not the statement's to carry.
 */
function leadingComments(tsi: typeof ts, file: ts.SourceFile, statement: ts.Node): ts.SynthesizedComment[] {
  let ranges = tsi.getLeadingCommentRanges(file.text, statement.pos) ?? [];
  if (statement.pos === 0 && ranges.length > 0) {
    const line = (pos: number): number => file.getLineAndCharacterOfPosition(pos).line;
    let group = 1;
    while (group < ranges.length && line(ranges[group]!.pos) < line(ranges[group - 1]!.end) + 2) group++;
    const next = group < ranges.length ? ranges[group]!.pos : statement.getStart(file);
    if (line(next) >= line(ranges[group - 1]!.end) + 2) ranges = ranges.slice(group);
  }
  return ranges.map((range) => ({
    kind: range.kind,
    text: file.text.slice(range.pos + 2, range.kind === tsi.SyntaxKind.MultiLineCommentTrivia ? range.end - 2 : range.end),
    hasTrailingNewLine: range.hasTrailingNewLine ?? false,
    pos: -1,
    end: -1,
  }));
}

/** A reference that needs no runtime value: inside a type, or an `implements` / interface `extends` clause. */
function isInTypePosition(tsi: typeof ts, node: ts.Node): boolean {
  let current: ts.Node = node;
  while (tsi.isQualifiedName(current.parent) || tsi.isPropertyAccessExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  if (tsi.isExpressionWithTypeArguments(parent)) {
    const clause = parent.parent;
    return tsi.isHeritageClause(clause) && (clause.token === tsi.SyntaxKind.ImplementsKeyword || tsi.isInterfaceDeclaration(clause.parent));
  }
  return tsi.isTypeNode(parent);
}
