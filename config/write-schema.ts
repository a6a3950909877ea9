/**
 * Regenerates schema/performance.schema.json from the valibot schema.
 *   node dist/config/write-schema.js           write the file (only if it changed)
 *   node dist/config/write-schema.js --check   exit 1 if the committed file is out of date
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../runtime/atomic-write";
import { configJsonSchemaText } from "./json-schema";

/** dist/config/ → the package root, where schema/ is committed. */
export const SCHEMA_FILE = path.resolve(__dirname, "..", "..", "schema", "performance.schema.json");

export function schemaIsCurrent(file = SCHEMA_FILE): boolean {
  try {
    return fs.readFileSync(file, "utf8") === configJsonSchemaText();
  } catch {
    return false;
  }
}

export function writeSchema(file = SCHEMA_FILE): boolean {
  if (schemaIsCurrent(file)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, configJsonSchemaText());
  return true;
}

function main(args: readonly string[]): number {
  const relative = path.relative(process.cwd(), SCHEMA_FILE) || SCHEMA_FILE;
  if (args.includes("--check")) {
    if (schemaIsCurrent()) return 0;
    process.stderr.write(`${relative} is out of date; run: node dist/config/write-schema.js\n`);
    return 1;
  }
  process.stdout.write(writeSchema() ? `wrote ${relative}\n` : `${relative} is up to date\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
