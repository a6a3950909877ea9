import { toJsonSchema, type JsonSchema } from "@valibot/to-json-schema";
import { benchBudget, benchLatencyBudget, configSchema, contractLatencyBudget, memoryBudget } from "./schema";

/**
 * The published JSON Schema (schema/performance.schema.json), for editors (yaml-language-server) and
 * other tools. Generated from the valibot schema so it cannot drift; what JSON Schema cannot express
 * (glob syntax, finiteness, the list-vs-mapping guard) stays valibot-only and the schema is looser there.
 */
export function configJsonSchema(): JsonSchema {
  const schema = toJsonSchema(configSchema, {
    errorMode: "throw",
    // The list-vs-mapping guard is a `custom` schema piped into the object schema; "output" converts such a
    // pipe from its last schema, the object, which says the same thing in JSON Schema. No pipe transforms, so
    // the input and output shapes are the same.
    typeMode: "output",
    ignoreActions: ["check", "finite"],
    definitions: { LatencyBudget: contractLatencyBudget, BenchLatencyBudget: benchLatencyBudget, MemoryBudget: memoryBudget, BenchBudget: benchBudget },
  });
  // Lead with what the file is, as hand-written schemas do.
  const { $schema, title, description, ...rest } = schema;
  return { $schema, title, description, ...rest };
}

/** The file's exact text: stable key order and a final newline, so regenerating is a no-op when unchanged. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
