import type * as ts from "typescript";

/**
 * Under `experimentalDecorators` + `emitDecoratorMetadata`, TypeScript keeps an import that a decorated member's
 * signature names as a type (it may emit `__metadata("design:paramtypes", [X])`). It decides this from the source
 * as written, before any transformer runs, so once our annotations are gone from a member that had no other
 * decorator, the import would stay and load a module the source written without them never loads.
 *
 * This finds the names TypeScript marks that way, given which declarations (still) have decorators: the same
 * rules as the checker's checkDecorators / getEntityNameForDecoratorMetadata. Returned: the first identifier of
 * each entity name marked (`X` of `X` and of `X.Y`).
 */
export function metadataReferences(
  tsi: typeof ts,
  sourceFile: ts.SourceFile,
  isDecorated: (node: ts.HasDecorators) => boolean,
  strictNullChecks: boolean,
): Set<ts.Identifier> {
  const found = new Set<ts.Identifier>();
  const mark = (typeNode: ts.TypeNode | undefined): void => {
    const name = typeNode && entityNameOf(tsi, typeNode, strictNullChecks);
    if (!name) return;
    let first: ts.EntityName = name;
    while (tsi.isQualifiedName(first)) first = first.left;
    found.add(first);
  };
  const markSignature = (fn: ts.SignatureDeclaration): void => {
    for (const parameter of fn.parameters) mark(parameterType(tsi, parameter));
    mark(fn.type);
  };
  const walk = (node: ts.Node): void => {
    if (tsi.canHaveDecorators(node) && isDecorated(node)) {
      if (tsi.isClassLike(node)) {
        const constructor = node.members.find((m): m is ts.ConstructorDeclaration => tsi.isConstructorDeclaration(m) && m.body !== undefined);
        if (constructor) for (const parameter of constructor.parameters) mark(parameterType(tsi, parameter));
      } else if (tsi.isMethodDeclaration(node)) {
        markSignature(node);
      } else if (tsi.isGetAccessorDeclaration(node) || tsi.isSetAccessorDeclaration(node)) {
        const members: readonly ts.Node[] = tsi.isClassLike(node.parent) ? node.parent.members : [];
        const other = members.find(
          (m) => m !== node && (tsi.isGetAccessorDeclaration(m) || tsi.isSetAccessorDeclaration(m)) && m.kind !== node.kind && sameName(m.name, node.name),
        ) as ts.AccessorDeclaration | undefined;
        mark(accessorType(tsi, node) ?? (other && accessorType(tsi, other)));
      } else if (tsi.isPropertyDeclaration(node)) {
        mark(node.type);
      } else if (tsi.isParameter(node)) {
        mark(parameterType(tsi, node));
        if (tsi.isFunctionLike(node.parent)) markSignature(node.parent);
      }
    }
    tsi.forEachChild(node, walk);
  };
  walk(sourceFile);
  return found;
}

function sameName(a: ts.PropertyName, b: ts.PropertyName): boolean {
  return "text" in a && "text" in b && a.text === b.text;
}

function accessorType(tsi: typeof ts, accessor: ts.AccessorDeclaration): ts.TypeNode | undefined {
  if (tsi.isGetAccessorDeclaration(accessor)) return accessor.type;
  return accessor.parameters[0]?.type;
}

function parameterType(tsi: typeof ts, parameter: ts.ParameterDeclaration): ts.TypeNode | undefined {
  const type = parameter.type;
  if (!parameter.dotDotDotToken || !type) return type;
  if (tsi.isArrayTypeNode(type)) return type.elementType;
  if (tsi.isTypeReferenceNode(type) && type.typeArguments?.length === 1) return type.typeArguments[0];
  return undefined;
}

function entityNameOf(tsi: typeof ts, node: ts.TypeNode, strictNullChecks: boolean): ts.EntityName | undefined {
  if (tsi.isUnionTypeNode(node) || tsi.isIntersectionTypeNode(node)) return commonEntityName(tsi, node.types, strictNullChecks);
  if (tsi.isConditionalTypeNode(node)) return commonEntityName(tsi, [node.trueType, node.falseType], strictNullChecks);
  if (tsi.isParenthesizedTypeNode(node) || tsi.isNamedTupleMember(node)) return entityNameOf(tsi, node.type, strictNullChecks);
  if (tsi.isTypeReferenceNode(node)) return node.typeName;
  return undefined;
}

function commonEntityName(tsi: typeof ts, types: readonly ts.TypeNode[], strictNullChecks: boolean): ts.EntityName | undefined {
  let common: ts.EntityName | undefined;
  for (let typeNode of types) {
    while (tsi.isParenthesizedTypeNode(typeNode) || tsi.isNamedTupleMember(typeNode)) typeNode = typeNode.type;
    if (typeNode.kind === tsi.SyntaxKind.NeverKeyword) continue;
    if (!strictNullChecks && ((tsi.isLiteralTypeNode(typeNode) && typeNode.literal.kind === tsi.SyntaxKind.NullKeyword) || typeNode.kind === tsi.SyntaxKind.UndefinedKeyword)) continue;
    const name = entityNameOf(tsi, typeNode, strictNullChecks);
    if (!name) return undefined;
    if (common) {
      if (!tsi.isIdentifier(common) || !tsi.isIdentifier(name) || common.text !== name.text) return undefined;
    } else {
      common = name;
    }
  }
  return common;
}
