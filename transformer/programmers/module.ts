import type * as ts from "typescript";
import { numeric } from "./probe";

/** One annotation's compile-time facts, emitted as the object literal given to `contract()`. */
export interface ContractFacts {
  readonly id: string;
  readonly kind: "latency" | "memory";
  readonly target: string;
  readonly file: string;
  readonly line: number;
  readonly max: number;
  readonly unit: string;
  readonly limit: number;
  readonly percentile?: number;
  readonly onViolation: string;
  readonly origin: "inline";
}

export const PROBE_MODULE = "@choragen/perf/probe";

/**
 * The statements a file gets once it has at least one inlined contract: the probe import, a clock that a local
 * `performance` cannot shadow, and one registered contract per annotation, all evaluated once at load.
 */
export function moduleStatements(
  tsi: typeof ts,
  f: ts.NodeFactory,
  probe: ts.Identifier,
  clock: ts.Identifier,
  contracts: readonly { readonly name: ts.Identifier; readonly facts: ContractFacts }[],
): { imports: ts.Statement[]; declarations: ts.Statement[] } {
  const imports = [
    f.createImportDeclaration(undefined, f.createImportClause(undefined, undefined, f.createNamespaceImport(probe)), f.createStringLiteral(PROBE_MODULE)),
  ];
  const declarations: ts.Statement[] = [
    constStatement(tsi, f, clock, f.createPropertyAccessExpression(f.createIdentifier("globalThis"), "performance")),
  ];
  for (const { name, facts } of contracts) {
    const call = f.createCallExpression(f.createPropertyAccessExpression(probe, "contract"), undefined, [factsLiteral(tsi, f, facts)]);
    declarations.push(constStatement(tsi, f, name, call));
  }
  return { imports, declarations };
}

function factsLiteral(tsi: typeof ts, f: ts.NodeFactory, facts: ContractFacts): ts.ObjectLiteralExpression {
  const properties: ts.PropertyAssignment[] = [];
  for (const [key, value] of Object.entries(facts) as [string, string | number | undefined][]) {
    if (value === undefined) continue;
    properties.push(f.createPropertyAssignment(key, typeof value === "number" ? numeric(f, tsi, value) : f.createStringLiteral(value)));
  }
  return f.createObjectLiteralExpression(properties, false);
}

function constStatement(tsi: typeof ts, f: ts.NodeFactory, name: ts.Identifier, value: ts.Expression): ts.Statement {
  return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, value)], tsi.NodeFlags.Const));
}
