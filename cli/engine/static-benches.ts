/**
 * The benchmark ids a bench file declares, read from its source without running it, when that can be
 * known for certain. `--filter` uses it to leave a file none of whose benches match unloaded: loading
 * runs the file's top-level code (setup, servers, files written), which a filtered-out file must not do.
 *
 * Certain means: every `bench(...)` and `group(...)` of `@choragen/perf/bench` in the file is a direct
 * call with a literal name, at the top level or directly in the callback of such a group, and no other
 * project file the bench file imports mentions `@choragen/perf/bench` (it could declare benches too).
 * Anything else (a name built at run time, a call in a loop or a helper function, the functions passed
 * around) gives `undefined`: the file is loaded as before.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const BENCH_MODULE = "@choragen/perf/bench";

export function declaredBenchIds(source: string, fileName: string): string[] | undefined {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const benchNames = new Set<string>();
  const groupNames = new Set<string>();
  const namespaces = new Set<string>();
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== BENCH_MODULE) continue;
    const clause = statement.importClause;
    if (clause === undefined || clause.isTypeOnly) continue;
    if (clause.name !== undefined) return undefined;
    const bindings = clause.namedBindings;
    if (bindings === undefined) continue;
    if (ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    else {
      for (const el of bindings.elements) {
        const imported = (el.propertyName ?? el.name).text;
        if (imported === "bench") benchNames.add(el.name.text);
        else if (imported === "group") groupNames.add(el.name.text);
      }
    }
  }
  // `require("@choragen/perf/bench")` or an import we did not understand: cannot be sure.
  if (/\b(require|import)\s*\(\s*["'`]@choragen\/perf\/bench["'`]/.test(source)) return undefined;

  const kindOf = (callee: ts.Expression): "bench" | "group" | undefined => {
    if (ts.isIdentifier(callee)) return benchNames.has(callee.text) ? "bench" : groupNames.has(callee.text) ? "group" : undefined;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && namespaces.has(callee.expression.text)) {
      return callee.name.text === "bench" ? "bench" : callee.name.text === "group" ? "group" : undefined;
    }
    return undefined;
  };
  const literal = (node: ts.Expression | undefined): string | undefined =>
    node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

  const ids: string[] = [];
  let certain = true;
  const handled = new Set<ts.Node>();

  /** Statements at declaration level (the file's, or a group callback's body) under `groups`. */
  const declarations = (statements: readonly ts.Statement[], groups: readonly string[]): void => {
    for (const statement of statements) {
      let expression: ts.Expression | undefined;
      if (ts.isExpressionStatement(statement)) expression = statement.expression;
      else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) expression = statement.declarationList.declarations[0]!.initializer;
      // `bench("x", fn).budget({...})`: the declaring call is the innermost one of the chain.
      while (expression !== undefined && ts.isCallExpression(expression) && kindOf(expression.expression) === undefined && ts.isPropertyAccessExpression(expression.expression)) {
        expression = expression.expression.expression;
      }
      if (expression === undefined || !ts.isCallExpression(expression)) continue;
      const kind = kindOf(expression.expression);
      if (kind === undefined) continue;
      handled.add(expression.expression);
      const name = literal(expression.arguments[0]);
      if (name === undefined) {
        certain = false;
        continue;
      }
      if (kind === "bench") {
        ids.push([...groups, name].join("/"));
        continue;
      }
      const callback = expression.arguments[1];
      if (callback === undefined || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
        certain = false;
        continue;
      }
      if (ts.isBlock(callback.body)) declarations(callback.body.statements, [...groups, name]);
      else declarations([ts.factory.createExpressionStatement(callback.body)], [...groups, name]);
    }
  };
  declarations(sf.statements, []);

  // Any other use of bench/group (in a loop, a helper, passed as a value) could declare ids we did not see.
  const visit = (node: ts.Node): void => {
    if (!certain) return;
    if (ts.isImportDeclaration(node)) return;
    const isUse = (ts.isIdentifier(node) && (benchNames.has(node.text) || groupNames.has(node.text) || namespaces.has(node.text))) || false;
    if (isUse && !handled.has(node) && !(node.parent !== undefined && handled.has(node.parent))) certain = false;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return certain ? ids : undefined;
}

/**
 * False only when it is certain that the bench file declares no benchmark `filter` matches: its own
 * declarations are all literal (declaredBenchIds) and no other project file it imports (`inputs`,
 * relative to `root`) mentions @choragen/perf/bench.
 */
export function mayDeclareMatching(root: string, file: string, inputs: readonly string[], filter: RegExp): boolean {
  let source: string;
  try {
    source = fs.readFileSync(path.join(root, file), "utf8");
  } catch {
    return true;
  }
  const ids = declaredBenchIds(source, file);
  if (ids === undefined) return true;
  for (const input of inputs) {
    if (input === file || input.endsWith(".d.ts")) continue;
    try {
      if (fs.readFileSync(path.join(root, input), "utf8").includes(BENCH_MODULE)) return true;
    } catch {
      return true;
    }
  }
  const test = new RegExp(filter.source, filter.flags.replace(/[gy]/g, ""));
  return ids.some((id) => test.test(id));
}
