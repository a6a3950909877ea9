/**
 * The published JSON Schema and the loader must agree: whatever the loader accepts, an editor using the
 * schema accepts too, and the mistakes JSON Schema can express are flagged by both. Checked with a small
 * validator for exactly the keywords the generated schema uses (a new keyword fails the first test).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import * as v from "valibot";
import { parse } from "yaml";
import { configSchema } from "../../config";
import { configJsonSchema } from "../../config/json-schema";

type Schema = { readonly [key: string]: unknown };
const ROOT = configJsonSchema() as Schema;
const KNOWN = new Set([
  "$schema", "title", "description", "default", "$defs", "$ref", "type", "properties", "required", "additionalProperties",
  "propertyNames", "anyOf", "enum", "items", "minimum", "maximum", "exclusiveMinimum", "minLength", "pattern", "minProperties",
]);
const FIXTURES = path.resolve(__dirname, "../../../test/fixtures/config");

function typeOk(type: unknown, value: unknown): boolean {
  switch (type) {
    case "object": return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array": return Array.isArray(value);
    case "string": return typeof value === "string";
    case "number": return typeof value === "number";
    case "integer": return Number.isInteger(value);
    case "boolean": return typeof value === "boolean";
    case "null": return value === null;
    default: throw new Error(`type ${String(type)}`);
  }
}

function valid(schema: Schema, value: unknown): boolean {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`unhandled keyword ${key}`);
  if (typeof schema["$ref"] === "string") {
    const name = schema["$ref"].replace("#/$defs/", "");
    return valid((ROOT["$defs"] as Record<string, Schema>)[name] as Schema, value);
  }
  if (schema["anyOf"]) return (schema["anyOf"] as Schema[]).some((s) => valid(s, value));
  if (schema["type"] !== undefined && !typeOk(schema["type"], value)) return false;
  if (schema["enum"] && !(schema["enum"] as unknown[]).includes(value)) return false;
  if (typeof value === "number") {
    if (typeof schema["minimum"] === "number" && value < schema["minimum"]) return false;
    if (typeof schema["maximum"] === "number" && value > schema["maximum"]) return false;
    if (typeof schema["exclusiveMinimum"] === "number" && value <= schema["exclusiveMinimum"]) return false;
  }
  if (typeof value === "string") {
    if (typeof schema["minLength"] === "number" && value.length < schema["minLength"]) return false;
    if (typeof schema["pattern"] === "string" && !new RegExp(schema["pattern"], "u").test(value)) return false;
  }
  if (Array.isArray(value) && schema["items"]) return value.every((item) => valid(schema["items"] as Schema, item));
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    const properties = (schema["properties"] ?? {}) as Record<string, Schema>;
    if (typeof schema["minProperties"] === "number" && entries.length < schema["minProperties"]) return false;
    for (const required of (schema["required"] ?? []) as string[]) if (!(required in value)) return false;
    for (const [key, sub] of entries) {
      if (schema["propertyNames"] && !valid(schema["propertyNames"] as Schema, key)) return false;
      const own = properties[key];
      if (own) {
        if (!valid(own, sub)) return false;
      } else if (schema["additionalProperties"] === false) {
        return false;
      } else if (typeof schema["additionalProperties"] === "object" && !valid(schema["additionalProperties"] as Schema, sub)) {
        return false;
      }
    }
  }
  return true;
}

const loads = (value: unknown): boolean => v.safeParse(configSchema, value ?? {}).success;

test("the JSON Schema accepts every valid fixture and the project's config", () => {
  const files = [
    ...fs.readdirSync(path.join(FIXTURES, "valid")).map((f) => path.join(FIXTURES, "valid", f)),
    path.resolve(FIXTURES, "../../../.choragen/performance.yaml"),
  ];
  for (const file of files) {
    const value: unknown = parse(fs.readFileSync(file, "utf8")) ?? {};
    assert.ok(loads(value), file);
    assert.ok(valid(ROOT, value), file);
  }
});

test("the JSON Schema flags the broken fixtures whose mistake JSON Schema can express", () => {
  const expressible = [
    "bad-on-violation", "bench-budget-mistakes", "budget-as-scalar", "include-not-a-list", "many-problems",
    "max-with-unit-string", "memory-unit-in-latency", "missing-unit", "misplaced-key", "misspelt-nested-key",
    "misspelt-top-key", "negative-max", "percentile-out-of-range", "quoted-number", "root-list", "root-scalar",
    "section-is-a-list", "thresholds-out-of-range", "unknown-latency-unit", "zero-max",
  ];
  for (const name of expressible) {
    const value: unknown = parse(fs.readFileSync(path.join(FIXTURES, "broken", `${name}.yaml`), "utf8"));
    assert.equal(valid(ROOT, value), false, name);
    assert.equal(loads(value), false, name);
  }
});

const anyValue = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 200 }), fc.constantFrom("ms", "MB", "warn", "x", ""), fc.constant([]));
const unit = fc.oneof(fc.constantFrom("ns", "us", "ms", "s", "B", "KB", "MB", "GB"), anyValue);
const num = fc.oneof(fc.double({ min: -10, max: 200, noNaN: true }), fc.integer({ min: -2, max: 120 }), anyValue);
const budget = fc.oneof(fc.record({ max: num, unit, percentile: num }, { requiredKeys: ["max", "unit"] }), fc.record({ max: num, unit }, { requiredKeys: [] }), anyValue);
const globs = fc.oneof(fc.array(fc.constantFrom("a/**", "*.ts", "b/*.bench.ts"), { maxLength: 2 }), anyValue);
const config = fc.record(
  {
    contracts: fc.oneof(
      fc.record(
        {
          latency: fc.record({ default: budget, overrides: fc.oneof(fc.dictionary(fc.constantFrom("api/*", "Svc.*"), budget, { maxKeys: 2 }), anyValue) }, { requiredKeys: [] }),
          memory: fc.record({ default: budget }, { requiredKeys: [] }),
          onViolation: fc.oneof(fc.constantFrom("record", "warn", "throw"), anyValue),
          extra: anyValue,
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
    benchmarks: fc.record(
      {
        enabled: fc.oneof(fc.boolean(), anyValue),
        include: globs,
        regressionThreshold: num,
        baselineBranch: fc.oneof(fc.constantFrom("main", "release/1.x", "has space"), anyValue),
        timeoutMs: num,
        budgets: fc.dictionary(fc.constantFrom("a", "b c"), fc.oneof(fc.record({ p99: budget, heap: budget, mean: budget }, { requiredKeys: [] }), anyValue), { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    ),
    thresholds: fc.record({ minScore: num, maxViolations: num }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

test("property: the loader and the JSON Schema agree on generated configs", () => {
  let accepted = 0;
  fc.assert(
    fc.property(config, (value) => {
      const byLoader = loads(value);
      if (byLoader) accepted++;
      // The JSON Schema is never stricter, and here (no globs, no infinities) exactly as strict.
      assert.equal(valid(ROOT, value), byLoader, JSON.stringify(value));
    }),
    { numRuns: 2000 },
  );
  assert.ok(accepted > 20, `only ${accepted} generated configs were valid: the generator is too lopsided to test anything`);
});
