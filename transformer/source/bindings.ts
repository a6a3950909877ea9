import type * as ts from "typescript";
import { memberAccessOf, skipParentheses, type PerfMember } from "../match/syntax";
import type { TypeScriptApi } from "./parser";

/** The module users import the annotations from. */
export const RUNTIME_MODULE = "@choragen/perf";

/** One import binding of the runtime module: `perf` (maybe renamed), or a namespace/default import. */
export interface RuntimeBinding {
  readonly local: ts.Identifier;
  /** `perf` itself (named import), or the module object whose `.perf` it is (namespace or default import). */
  readonly stands: "perf" | "module" | "other";
  readonly declaration: ts.ImportDeclaration;
  /** The named-import specifier, when it is one. */
  readonly specifier: ts.ImportSpecifier | undefined;
}

/**
 * Resolves `perf` without a type checker, through the module's own imports of "@choragen/perf": named
 * (`import { perf }`), renamed (`import { perf as p }`), namespace (`import * as P` → `P.perf`) and default
 * (`import P from`, CommonJS interop → `P.perf`). A local declaration that shadows the binding is respected.
 */
export class RuntimeBindings {
  readonly bindings: readonly RuntimeBinding[];
  private readonly perfNames = new Set<string>();
  private readonly moduleNames = new Set<string>();

  constructor(
    private readonly tsi: TypeScriptApi,
    sourceFile: ts.SourceFile,
  ) {
    const bindings: RuntimeBinding[] = [];
    for (const statement of sourceFile.statements) {
      if (!tsi.isImportDeclaration(statement) || !tsi.isStringLiteral(statement.moduleSpecifier)) continue;
      if (statement.moduleSpecifier.text !== RUNTIME_MODULE) continue;
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      if (clause.name) bindings.push({ local: clause.name, stands: "module", declaration: statement, specifier: undefined });
      const named = clause.namedBindings;
      if (named && tsi.isNamespaceImport(named)) bindings.push({ local: named.name, stands: "module", declaration: statement, specifier: undefined });
      if (named && tsi.isNamedImports(named)) {
        for (const element of named.elements) {
          if (element.isTypeOnly) continue;
          const imported = (element.propertyName ?? element.name).text;
          bindings.push({ local: element.name, stands: imported === "perf" ? "perf" : "other", declaration: statement, specifier: element });
        }
      }
    }
    for (const b of bindings) {
      if (b.stands === "perf") this.perfNames.add(b.local.text);
      if (b.stands === "module") this.moduleNames.add(b.local.text);
    }
    this.bindings = bindings;
  }

  get any(): boolean {
    return this.perfNames.size > 0 || this.moduleNames.size > 0;
  }

  /** `perf.latency`, `p.memory`, `P.perf.startTimer`, `perf["assertLatency"]`: which member of our perf, if it is ours. */
  memberOf(expression: ts.Expression): PerfMember | undefined {
    const access = memberAccessOf(this.tsi, expression);
    return access !== undefined && this.isPerf(access.object) ? access.member : undefined;
  }

  /** Is this expression our `perf` object? */
  isPerf(expression: ts.Expression): boolean {
    const tsi = this.tsi;
    const node = skipParentheses(tsi, expression);
    if (tsi.isIdentifier(node)) return this.perfNames.has(node.text) && !isShadowed(tsi, node);
    if (tsi.isPropertyAccessExpression(node) && tsi.isIdentifier(node.expression) && node.name.text === "perf") {
      return this.moduleNames.has(node.expression.text) && !isShadowed(tsi, node.expression);
    }
    return false;
  }
}

/** Is `id` bound by a declaration nearer than the module scope (a parameter, a local, a catch variable…)? */
export function isShadowed(tsi: TypeScriptApi, id: ts.Identifier): boolean {
  const name = id.text;
  for (let scope: ts.Node | undefined = id.parent; scope && !tsi.isSourceFile(scope); scope = scope.parent) {
    if (declaresInScope(tsi, scope, name)) return true;
  }
  return false;
}

function declaresInScope(tsi: TypeScriptApi, scope: ts.Node, name: string): boolean {
  if (tsi.isFunctionLike(scope)) {
    if (scope.parameters.some((p) => bindsName(tsi, p.name, name))) return true;
    if ((tsi.isFunctionExpression(scope) || tsi.isClassExpression(scope)) && scope.name?.text === name) return true;
    return false;
  }
  if (tsi.isBlock(scope) || tsi.isModuleBlock(scope) || tsi.isCaseClause(scope) || tsi.isDefaultClause(scope)) {
    return scope.statements.some((s) => statementDeclares(tsi, s, name));
  }
  if (tsi.isCatchClause(scope)) return scope.variableDeclaration !== undefined && bindsName(tsi, scope.variableDeclaration.name, name);
  if ((tsi.isForStatement(scope) || tsi.isForInStatement(scope) || tsi.isForOfStatement(scope)) && scope.initializer && tsi.isVariableDeclarationList(scope.initializer)) {
    return scope.initializer.declarations.some((d) => bindsName(tsi, d.name, name));
  }
  if (tsi.isClassExpression(scope)) return scope.name?.text === name;
  return false;
}

function statementDeclares(tsi: TypeScriptApi, statement: ts.Statement, name: string): boolean {
  if (tsi.isVariableStatement(statement)) return statement.declarationList.declarations.some((d) => bindsName(tsi, d.name, name));
  if (tsi.isFunctionDeclaration(statement) || tsi.isClassDeclaration(statement) || tsi.isEnumDeclaration(statement)) return statement.name?.text === name;
  return false;
}

function bindsName(tsi: TypeScriptApi, binding: ts.BindingName, name: string): boolean {
  if (tsi.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !tsi.isOmittedExpression(e) && bindsName(tsi, e.name, name));
}

/** Identifiers in value position, by name, gathered in one walk per file however many names are looked up. */
const valueIdentifiers = new WeakMap<ts.SourceFile, Map<string, ts.Identifier[]>>();

/**
 * Identifiers that read `name` as a value: not a property name, not a declaration's own name, not inside a type.
 * Over-counts rather than under-counts (a same-named local elsewhere counts as a use), so an import is kept
 * whenever it might still be needed.
 */
export function valueReferences(tsi: TypeScriptApi, sourceFile: ts.SourceFile, name: string): ts.Identifier[] {
  let index = valueIdentifiers.get(sourceFile);
  if (index === undefined) {
    const built = new Map<string, ts.Identifier[]>();
    const add = (id: ts.Identifier): void => {
      const list = built.get(id.text);
      if (list) list.push(id);
      else built.set(id.text, [id]);
    };
    const walk = (node: ts.Node): void => {
      if (tsi.isImportDeclaration(node) || tsi.isTypeNode(node) || tsi.isInterfaceDeclaration(node) || tsi.isTypeAliasDeclaration(node)) return;
      if (tsi.isIdentifier(node)) {
        if (isValuePosition(tsi, node)) add(node);
      } else if (tsi.isShorthandPropertyAssignment(node)) add(node.name);
      tsi.forEachChild(node, walk);
    };
    walk(sourceFile);
    index = built;
    valueIdentifiers.set(sourceFile, index);
  }
  return index.get(name) ?? [];
}

function isValuePosition(tsi: TypeScriptApi, id: ts.Identifier): boolean {
  const parent = id.parent;
  if (tsi.isPropertyAccessExpression(parent) && parent.name === id) return false;
  if ((tsi.isPropertyAssignment(parent) || tsi.isPropertyDeclaration(parent) || tsi.isMethodDeclaration(parent) || tsi.isPropertySignature(parent) || tsi.isGetAccessor(parent) || tsi.isSetAccessor(parent)) && parent.name === id) return false;
  if (tsi.isQualifiedName(parent)) return false;
  if (tsi.isExpressionWithTypeArguments(parent) && tsi.isHeritageClause(parent.parent) && parent.parent.token === tsi.SyntaxKind.ImplementsKeyword) return false;
  return true;
}
