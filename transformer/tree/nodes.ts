import type * as ts from "typescript";
import { probeExport, type ProbeExport, type ProbeImportStyle } from "../programmers/module";
import type { ProbeNames } from "../programmers/probe";

/**
 * The node edits both tree hosts make (the ts-patch host, transformer/file.ts, and the tree emitter that applies the
 * source core's decisions for ts-jest): whoever decided, the emitted shape is written once, here.
 */

export type InstrumentableMember = ts.MethodDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;
export type FunctionLiteral = ts.ArrowFunction | ts.FunctionExpression;
/** What an annotation can put probes in: a method or accessor (decorator), a function literal (wrapper). */
export type InstrumentableFunction = InstrumentableMember | FunctionLiteral;

/** A visited method or accessor with some decorators left out and (maybe) a new body. */
export function updateMember(tsi: typeof ts, f: ts.NodeFactory, visited: InstrumentableMember, modifiers: readonly ts.ModifierLike[] | undefined, body: ts.Block | undefined): ts.Node {
  if (tsi.isMethodDeclaration(visited)) {
    return f.updateMethodDeclaration(visited, modifiers, visited.asteriskToken, visited.name, visited.questionToken, visited.typeParameters, visited.parameters, visited.type, body);
  }
  if (tsi.isGetAccessorDeclaration(visited)) return f.updateGetAccessorDeclaration(visited, modifiers, visited.name, visited.parameters, visited.type, body);
  const setter = visited as ts.SetAccessorDeclaration;
  return f.updateSetAccessorDeclaration(setter, modifiers, setter.name, setter.parameters, body);
}

/** A visited arrow function or function expression with its body replaced. */
export function updateFunctionBody(tsi: typeof ts, f: ts.NodeFactory, visited: FunctionLiteral, body: ts.Block): ts.Node {
  if (tsi.isArrowFunction(visited)) {
    return f.updateArrowFunction(visited, visited.modifiers, visited.typeParameters, visited.parameters, visited.type, visited.equalsGreaterThanToken, body);
  }
  return f.updateFunctionExpression(visited, visited.modifiers, visited.asteriskToken, visited.name, visited.typeParameters, visited.parameters, visited.type, body);
}

/** `perf.assertLatency(timer, options)` + the TypeScript place it is written at: file, line, column (1-based). */
export function withAssertionSite(f: ts.NodeFactory, visited: ts.CallExpression, file: string, line: number, column: number): ts.Node {
  const site = [f.createStringLiteral(file), f.createNumericLiteral(line), f.createNumericLiteral(column)];
  return f.updateCallExpression(visited, visited.expression, visited.typeArguments, [...visited.arguments, ...site]);
}

/** What stands where a removed statement was the unbraced body of an `if`/loop/label: `;`. */
export function emptyStatementFor(tsi: typeof ts, f: ts.NodeFactory, removed: ts.Node): ts.Statement {
  return tsi.setTextRange(f.createEmptyStatement(), removed);
}

/** The module header (probe import, registered contracts) after the leading imports and directives. */
export function withHeader(tsi: typeof ts, f: ts.NodeFactory, sourceFile: ts.SourceFile, header: readonly ts.Statement[]): ts.SourceFile {
  const statements = [...sourceFile.statements];
  let at = 0;
  while (at < statements.length && (tsi.isImportDeclaration(statements[at]!) || isPrologueDirective(tsi, statements[at]!))) at++;
  statements.splice(at, 0, ...header);
  return withStatements(tsi, f, sourceFile, statements);
}

/**
 * The file with other statements, the list keeping the text range of the original one: the emitter writes the
 * comments after the last statement (the end of the file) from that range, and a list without one loses them.
 */
export function withStatements(tsi: typeof ts, f: ts.NodeFactory, file: ts.SourceFile, statements: readonly ts.Statement[]): ts.SourceFile {
  return f.updateSourceFile(file, tsi.setTextRange(f.createNodeArray(statements), file.statements));
}

function isPrologueDirective(tsi: typeof ts, statement: ts.Statement): boolean {
  return tsi.isExpressionStatement(statement) && tsi.isStringLiteral(statement.expression);
}

/** The names a file's probes use; reading `clock` or `heap` marks it used, so the header imports only those. */
export function probeNamesFor(f: ts.NodeFactory, style: ProbeImportStyle, prefix: string, used: Set<ProbeExport>): ProbeNames {
  return {
    clock: () => (used.add("clock"), probeExport(f, style, prefix, "clock")),
    heap: () => (used.add("heap"), probeExport(f, style, prefix, "heap")),
    local: (name) => f.createIdentifier(`${prefix}_${name}`),
  };
}
