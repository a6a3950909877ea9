import type * as ts from "typescript";
import type { Decision, FunctionSite, Removal } from "../source/decide";
import type { TypeScriptApi } from "../source/parser";
import { probeImportStyle, type ProbeExport, type ProbeImportStyle } from "../programmers/module";
import type { ProbeNames } from "../programmers/probe";
import { probeNamesFor } from "./nodes";

/**
 * Everything one file's tree emission shares, built once per file: the core's decisions indexed by the
 * compiler's own nodes, and the names and imports the probes use. Feature modules read it; only `used` grows.
 */
export interface TreeFile {
  readonly tsi: TypeScriptApi;
  readonly context: ts.TransformationContext;
  readonly factory: ts.NodeFactory;
  readonly decision: Decision;
  /** What the core removes, by node: decorators, timer statements, import declarations and specifiers, wrapper calls. */
  readonly removed: ReadonlyMap<ts.Node, Removal>;
  /** Wrapper calls whose function argument needs parentheses where the call stood. */
  readonly parenthesized: ReadonlySet<ts.Node>;
  /** Functions that get probes, by their node. */
  readonly sites: ReadonlyMap<ts.Node, FunctionSite>;
  /** `perf.assertLatency(...)` calls that get their TypeScript place as three more arguments. */
  readonly assertions: ReadonlyMap<ts.Node, { readonly line: number; readonly column: number }>;
  readonly importStyle: ProbeImportStyle;
  /** The core's prefix without its trailing underscore: emitted names are `${prefix}_clock`, `${prefix}_t0`, ... */
  readonly prefix: string;
  /** The probe surface's exports the emitted code uses so far (`contract` always). */
  readonly used: Set<ProbeExport>;
  readonly names: ProbeNames;
  /** The dispatch: visits one node with every feature (see index.ts). */
  visit(node: ts.Node): ts.VisitResult<ts.Node | undefined>;
}

export function createTreeFile(
  tsi: TypeScriptApi,
  context: ts.TransformationContext,
  decision: Decision,
  visit: (file: TreeFile, node: ts.Node) => ts.VisitResult<ts.Node | undefined>,
): TreeFile {
  const f = context.factory;
  const removed = new Map<ts.Node, Removal>();
  for (const r of decision.removals) if (r.node) removed.set(r.node, r);
  const parenthesized = new Set<ts.Node>(decision.insertions.map((i) => i.node));
  const sites = new Map<ts.Node, FunctionSite>(decision.functions.map((s) => [s.fn, s]));
  const assertions = new Map(decision.assertions.map((a) => [a.call as ts.Node, { line: a.line, column: a.column }]));
  const importStyle = probeImportStyle(tsi, decision.sourceFile, context.getCompilerOptions());
  const prefix = decision.prefix.replace(/_$/, "");
  const used = new Set<ProbeExport>(["contract"]);
  const names = probeNamesFor(f, importStyle, prefix, used);
  const file: TreeFile = {
    tsi,
    context,
    factory: f,
    decision,
    removed,
    parenthesized,
    sites,
    assertions,
    importStyle,
    prefix,
    used,
    names,
    visit: (node) => visit(file, node),
  };
  return file;
}
