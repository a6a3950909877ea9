import type * as ts from "typescript";
import type { FunctionSite } from "../source/decide";
import { instrumentBody } from "../programmers/probe";
import type { TreeFile } from "./context";

/**
 * One function's probes, built from factory nodes around its original statements (the ts-patch host's probe
 * programmer). No checker: every `return x` (a setter's aside) is tested at run time, and a native promise is
 * measured until it settles, `async` or not, as in the source-level core.
 */
export function instrumentSite(file: TreeFile, site: FunctionSite, body: ts.ConciseBody): ts.Block {
  const f = file.factory;
  return instrumentBody(file.tsi, file.context, body, {
    contracts: site.probes.map((p) => ({ kind: p.kind, limit: p.limit, percentile: p.percentile, contract: f.createIdentifier(p.contract) })),
    isAsync: site.isAsync,
    settlesReturn: site.routesReturns ? () => true : undefined,
    settleAtRunTime: true,
    names: file.names,
  });
}
