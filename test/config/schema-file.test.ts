import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULTS } from "../../config";
import { configJsonSchema, configJsonSchemaText } from "../../config/json-schema";
import { schemaIsCurrent, writeSchema } from "../../config/write-schema";

const REPO = path.resolve(__dirname, "../../..");
const COMMITTED = path.join(REPO, "schema", "performance.schema.json");
const SCRIPT = path.join(REPO, "dist", "config", "write-schema.js");

test("the committed schema/performance.schema.json is what the valibot schema generates", () => {
  assert.equal(fs.readFileSync(COMMITTED, "utf8"), configJsonSchemaText(), "run: node dist/config/write-schema.js");
});

test("write-schema --check passes on the committed file (a real child process)", () => {
  const out = spawnSync(process.execPath, [SCRIPT, "--check"], { cwd: REPO, encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
});

test("writeSchema writes a missing or stale file and leaves a current one alone", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "choragen-schema-"));
  try {
    const file = path.join(dir, "nested", "performance.schema.json");
    assert.equal(schemaIsCurrent(file), false);
    assert.equal(writeSchema(file), true);
    assert.equal(schemaIsCurrent(file), true);
    assert.equal(writeSchema(file), false);
    fs.appendFileSync(file, " ");
    assert.equal(schemaIsCurrent(file), false);
    assert.equal(writeSchema(file), true);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["performance.schema.json"], "no temporary file left behind");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

interface Json {
  [key: string]: unknown;
}
const obj = (value: unknown): Json => value as Json;
/** The object branch of a nullable section (`anyOf: [object, null]`). */
const section = (value: unknown): Json => (obj(value)["anyOf"] as Json[])[0] as Json;

test("the JSON Schema says what valibot enforces: closed objects, units, bounds and defaults", () => {
  const schema = obj(configJsonSchema());
  assert.equal(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  assert.equal(schema["additionalProperties"], false);
  const top = obj(schema["properties"]);
  assert.deepEqual(Object.keys(top), ["contracts", "benchmarks", "thresholds"]);

  const contracts = obj(section(top["contracts"])["properties"]);
  const latency = obj(section(contracts["latency"])["properties"]);
  const latencyDefault = obj(latency["default"]);
  assert.deepEqual(latencyDefault["default"], DEFAULTS.latency);
  assert.equal(latencyDefault["additionalProperties"], false);
  const props = obj(latencyDefault["properties"]);
  assert.deepEqual(obj(props["unit"])["enum"], ["ns", "us", "ms", "s"]);
  assert.equal(obj(props["max"])["exclusiveMinimum"], 0);
  assert.equal(obj(props["percentile"])["maximum"], 100);
  assert.deepEqual(obj(contracts["onViolation"])["enum"], ["record", "warn", "throw"]);

  const benchmarks = obj(section(top["benchmarks"])["properties"]);
  assert.deepEqual(obj(benchmarks["include"])["default"], DEFAULTS.include);
  assert.equal(obj(benchmarks["timeoutMs"])["type"], "integer");
  const thresholds = obj(section(top["thresholds"])["properties"]);
  assert.equal(obj(thresholds["minScore"])["default"], 80);
  assert.equal(obj(thresholds["maxViolations"])["minimum"], 0);

  const defs = obj(schema["$defs"]);
  assert.deepEqual(Object.keys(defs).sort(), ["BenchBudget", "BenchLatencyBudget", "LatencyBudget", "MemoryBudget"]);
  assert.equal(obj(defs["BenchBudget"])["minProperties"], 1);
  assert.deepEqual(Object.keys(obj(obj(defs["BenchLatencyBudget"])["properties"])), ["max", "unit"]);
});

test("loading the config module does not load @valibot/to-json-schema (a dev dependency users lack)", () => {
  const probe = [
    `require(${JSON.stringify(path.join(REPO, "dist", "config", "index.js"))});`,
    `const loaded = Object.keys(require.cache).filter((f) => f.includes("to-json-schema"));`,
    `process.stdout.write(JSON.stringify(loaded));`,
  ].join("\n");
  const out = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), []);
});
