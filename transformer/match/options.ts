import type * as ts from "typescript";
import { didYouMean } from "../../config/suggest";
import { suggestUnit } from "../../config/units";
import type { ContractKind, Unit } from "../../runtime/types";
import { isLatencyUnit, isMemoryUnit, unitsOf } from "../../runtime/units";
import { PerfDiagnostic, TransformerError } from "../errors";

export type ContractKindName = ContractKind;

export interface WrittenBudget {
  readonly max: number;
  readonly unit: Unit;
  readonly percentile?: number;
  readonly name?: string;
}

const UNITS: Record<ContractKindName, readonly string[]> = { latency: unitsOf("latency"), memory: unitsOf("memory") };
const KEYS: Record<ContractKindName, readonly string[]> = {
  latency: ["max", "unit", "percentile", "name"],
  memory: ["max", "unit", "name"],
};

/** The budget written in an annotation, or (written without options) the config's default or override. */
export function writtenOrDefaultBudget(tsi: typeof ts, kind: ContractKindName, options: ts.Expression | undefined, byDefault: () => WrittenBudget): WrittenBudget {
  return options === undefined ? byDefault() : readBudgetLiteral(tsi, kind, options);
}

/**
 * Reads `{ max: 50, unit: "ms" }` as written. Only literals are accepted: the budget has to be known at compile
 * time to become a literal in the probe, and a computed one would be silently different in production.
 */
export function readBudgetLiteral(tsi: typeof ts, kind: ContractKindName, node: ts.Expression): WrittenBudget {
  const options = skipOuterExpressions(tsi, node);
  if (!tsi.isObjectLiteralExpression(options)) {
    throw new TransformerError(
      node,
      PerfDiagnostic.NonLiteralOptions,
      `perf.${kind} options must be an object literal such as { max: 50, unit: "${UNITS[kind][2]}" }, so the budget is known at compile time; found ${describe(tsi, options)}.`,
    );
  }
  const values = new Map<string, { node: ts.Expression; value: number | string }>();
  for (const property of options.properties) {
    if (!tsi.isPropertyAssignment(property) || !isStaticName(tsi, property.name)) {
      throw new TransformerError(
        property,
        PerfDiagnostic.NonLiteralOptions,
        `perf.${kind} options must be plain "key: literal" properties; found ${describe(tsi, property)}.`,
      );
    }
    const key = property.name.text;
    if (!KEYS[kind].includes(key)) {
      const suggestion = closest(key, KEYS[kind]);
      throw new TransformerError(
        property.name,
        PerfDiagnostic.UnknownOption,
        `Unknown perf.${kind} option "${key}"${suggestion ? `; did you mean "${suggestion}"?` : "."} Expected one of: ${KEYS[kind].join(", ")}.`,
      );
    }
    values.set(key, { node: property.initializer, value: literalValue(tsi, kind, key, property.initializer) });
  }
  const max = values.get("max");
  const unit = values.get("unit");
  if (!max || !unit) {
    throw new TransformerError(
      options,
      PerfDiagnostic.MissingOption,
      `perf.${kind} options need both "max" and "unit" (or no options at all, to take the defaults from .choragen/performance.yaml).`,
    );
  }
  if (typeof max.value !== "number") throw typeError(max.node, kind, "max", "a number", max.value);
  if (!(max.value > 0) || !Number.isFinite(max.value)) {
    throw new TransformerError(max.node, PerfDiagnostic.NonPositiveMax, `perf.${kind} "max" must be a finite number greater than 0; found ${max.value}.`);
  }
  if (typeof unit.value !== "string") throw typeError(unit.node, kind, "unit", "a string", unit.value);
  const unitValue: string = unit.value;
  if (!isUnitOf(kind, unitValue)) {
    const suggestion = suggestUnit(kind, unitValue);
    throw new TransformerError(
      unit.node,
      PerfDiagnostic.UnknownUnit,
      `Unknown ${kind} unit "${unit.value}"${suggestion ? `; did you mean "${suggestion}"?` : "."} Expected one of: ${UNITS[kind].join(", ")}.`,
    );
  }
  const budget: { max: number; unit: Unit; percentile?: number; name?: string } = { max: max.value, unit: unitValue };
  const percentile = values.get("percentile");
  if (percentile) {
    if (typeof percentile.value !== "number") throw typeError(percentile.node, kind, "percentile", "a number", percentile.value);
    if (!(percentile.value > 0 && percentile.value <= 100)) {
      throw new TransformerError(percentile.node, PerfDiagnostic.BadPercentile, `perf.${kind} "percentile" must be greater than 0 and at most 100; found ${percentile.value}.`);
    }
    budget.percentile = percentile.value;
  }
  const name = values.get("name");
  if (name) {
    if (typeof name.value !== "string") throw typeError(name.node, kind, "name", "a string", name.value);
    budget.name = name.value;
  }
  return budget;
}

function isUnitOf(kind: ContractKindName, text: string): text is Unit {
  return kind === "latency" ? isLatencyUnit(text) : isMemoryUnit(text);
}

function literalValue(tsi: typeof ts, kind: ContractKindName, key: string, initializer: ts.Expression): number | string {
  const node = skipOuterExpressions(tsi, initializer);
  if (tsi.isNumericLiteral(node)) return Number(node.text);
  if (tsi.isStringLiteral(node) || tsi.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (tsi.isPrefixUnaryExpression(node) && tsi.isNumericLiteral(node.operand)) {
    if (node.operator === tsi.SyntaxKind.MinusToken) return -Number(node.operand.text);
    if (node.operator === tsi.SyntaxKind.PlusToken) return Number(node.operand.text);
  }
  throw new TransformerError(
    initializer,
    PerfDiagnostic.NonLiteralOptions,
    `perf.${kind} option "${key}" must be a literal, so the budget is known at compile time; found ${describe(tsi, node)}.`,
  );
}

function typeError(node: ts.Node, kind: ContractKindName, key: string, expected: string, found: number | string): TransformerError {
  return new TransformerError(node, PerfDiagnostic.NonLiteralOptions, `perf.${kind} option "${key}" must be ${expected}; found ${JSON.stringify(found)}.`);
}

function isStaticName(tsi: typeof ts, name: ts.PropertyName): name is ts.Identifier | ts.StringLiteral {
  return tsi.isIdentifier(name) || tsi.isStringLiteral(name);
}

/** `x as const`, `(x)`, `x satisfies T` are still literals as far as the budget is concerned. */
function skipOuterExpressions(tsi: typeof ts, node: ts.Expression): ts.Expression {
  let current = node;
  while (tsi.isParenthesizedExpression(current) || tsi.isAsExpression(current) || tsi.isSatisfiesExpression(current) || tsi.isTypeAssertionExpression(current)) {
    current = current.expression;
  }
  return current;
}

function describe(tsi: typeof ts, node: ts.Node): string {
  if (tsi.isIdentifier(node)) return `the identifier "${node.text}"`;
  if (tsi.isSpreadAssignment(node)) return "a spread";
  if (tsi.isShorthandPropertyAssignment(node)) return `the shorthand property "${node.name.text}"`;
  if (tsi.isCallExpression(node)) return "a call";
  if (tsi.isPropertyAccessExpression(node)) return "a property access";
  if (tsi.isComputedPropertyName(node) || (tsi.isPropertyAssignment(node) && tsi.isComputedPropertyName(node.name))) return "a computed key";
  if (tsi.isTemplateExpression(node)) return "a template with substitutions";
  if (tsi.isBinaryExpression(node)) return "an expression";
  return `a ${tsi.SyntaxKind[node.kind]}`;
}

/** The one likely key meant, by the config loader's own measure (config/suggest.ts): both suggest alike. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const close = didYouMean(word, candidates);
  return close.length === 1 ? close[0] : undefined;
}
