import type * as ts from "typescript";
import { fnv1aHex } from "../../runtime/hash";

/** `Class.method`, `Class.#secret`, `Class.get total`; class expressions take the name they are bound to. */
export function memberTarget(tsi: typeof ts, sourceFile: ts.SourceFile, member: ts.ClassElement): string {
  const cls = member.parent;
  const className = tsi.isClassLike(cls) ? classLikeName(tsi, cls) : "(anonymous)";
  const name = member.name ? propertyNameText(tsi, sourceFile, member.name) : "(anonymous)";
  const prefix = tsi.isGetAccessorDeclaration(member) ? "get " : tsi.isSetAccessorDeclaration(member) ? "set " : "";
  return `${className}.${prefix}${name}`;
}

function classLikeName(tsi: typeof ts, cls: ts.ClassLikeDeclaration): string {
  if (cls.name) return cls.name.text;
  return boundName(tsi, cls) ?? "(anonymous class)";
}

function propertyNameText(tsi: typeof ts, sourceFile: ts.SourceFile, name: ts.PropertyName): string {
  if (tsi.isIdentifier(name) || tsi.isPrivateIdentifier(name)) return name.text;
  if (tsi.isStringLiteral(name) || tsi.isNumericLiteral(name)) return name.text;
  return name.getText(sourceFile);
}

/** The name a function or class expression gets from where it stands: `const x = …`, `{ x: … }`, `x = …`. */
export function boundName(tsi: typeof ts, node: ts.Node): string | undefined {
  let current: ts.Node = node;
  // Climb through the expressions that do not change the inferred name: parentheses, casts, our own wrapper call.
  while (
    tsi.isParenthesizedExpression(current.parent) ||
    tsi.isAsExpression(current.parent) ||
    tsi.isSatisfiesExpression(current.parent) ||
    (tsi.isCallExpression(current.parent) && current.parent.arguments.includes(current as ts.Expression))
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  if (tsi.isVariableDeclaration(parent) && tsi.isIdentifier(parent.name)) return parent.name.text;
  if ((tsi.isPropertyAssignment(parent) || tsi.isPropertyDeclaration(parent)) && (tsi.isIdentifier(parent.name) || tsi.isStringLiteral(parent.name) || tsi.isPrivateIdentifier(parent.name))) {
    return parent.name.text;
  }
  if (tsi.isBinaryExpression(parent) && parent.operatorToken.kind === tsi.SyntaxKind.EqualsToken && tsi.isIdentifier(parent.left)) return parent.left.text;
  if (tsi.isExportAssignment(parent)) return "default";
  return undefined;
}

/**
 * What a wrapped function literal's contract is called: the `name` option, else the name the call is bound to
 * (`const parse = perf.latency(...)`), else the function's own name, else its place in the file.
 */
export function wrapperTarget(tsi: typeof ts, sourceFile: ts.SourceFile, file: string, call: ts.CallExpression, literal: ts.ArrowFunction | ts.FunctionExpression, writtenName: string | undefined): string {
  return writtenName ?? boundName(tsi, call) ?? literal.name?.text ?? `(anonymous ${file}:${lineOf(sourceFile, call)})`;
}

/** 1-based line of a node's first token. */
export function lineOf(sourceFile: ts.SourceFile, node: ts.Node): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

/**
 * A short id that stays the same while the file, target and kind do, so a contract keeps its id when lines
 * move. FNV-1a, 32 bits, as hex; `ordinal` separates two contracts of one kind on the same target.
 */
export function contractId(file: string, target: string, kind: string, ordinal: number): string {
  return fnv1aHex(`${file}#${target}#${kind}${ordinal > 0 ? `#${ordinal}` : ""}`);
}
