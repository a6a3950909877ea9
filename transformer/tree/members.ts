import type * as ts from "typescript";
import type { TreeFile } from "./context";
import { updateMember } from "./nodes";
import { instrumentSite } from "./probes";

/** A method or accessor that carries our decorators: they go, and its body gets probes in instrument mode. */
export function isAnnotatedMember(file: TreeFile, node: ts.Node): node is ts.MethodDeclaration | ts.AccessorDeclaration {
  const { tsi } = file;
  if (!tsi.isMethodDeclaration(node) && !tsi.isGetAccessorDeclaration(node) && !tsi.isSetAccessorDeclaration(node)) return false;
  return file.sites.has(node) || (tsi.getDecorators(node) ?? []).some((d) => file.removed.has(d));
}

export function emitAnnotatedMember(file: TreeFile, node: ts.MethodDeclaration | ts.AccessorDeclaration): ts.Node {
  const { tsi, factory: f } = file;
  const visited = tsi.visitEachChild(node, file.visit, file.context);
  const modifiers = visited.modifiers?.filter((m) => !file.removed.has(tsi.getOriginalNode(m)));
  const site = file.sites.get(node);
  const body = site && visited.body ? instrumentSite(file, site, visited.body) : visited.body;
  return updateMember(tsi, f, visited, modifiers, body);
}
