/**
 * The compiler and the config loader give the same "did you mean" for the same typo: one measure of closeness
 * (config/suggest.ts) and one table of spellings (config/units.ts) behind both.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, parseConfig } from "../../config";
import { SourceTransformer } from "../../transformer/source";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "choragen-suggest-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
// No performance.yaml above a fresh temp folder: the transformer runs on the defaults.
const transformer = new SourceTransformer({ cwd: dir, mode: "instrument" });

function suggested(message: string): string | undefined {
  return /did you mean "([^"]+)"\?/.exec(message)?.[1];
}

/** What the compiler suggests for `@perf.<kind>({ ...options })`, and its whole message. */
function compilerSays(kind: "latency" | "memory", options: string): { suggestion: string | undefined; message: string } {
  const source = `import { perf } from "@choragen/perf";\nexport const f = perf.${kind}({ ${options} }, () => 1);\n`;
  const result = transformer.transform(source, path.join(dir, "typo.ts"));
  const message = result.diagnostics.map((d) => d.message).join("\n");
  assert.ok(result.diagnostics.length > 0, `the compiler accepted ${options}`);
  return { suggestion: suggested(message), message };
}

/** What the config loader suggests for `contracts.<kind>.default: { ...options }`. */
function configSays(kind: "latency" | "memory", options: string): { suggestion: string | undefined; message: string } {
  try {
    parseConfig(`contracts:\n  ${kind}:\n    default: { ${options} }\n`, ".choragen/performance.yaml");
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { suggestion: suggested(error.message), message: error.message };
  }
  assert.fail(`the config loader accepted ${options}`);
}

const UNIT_TYPOS: Record<"latency" | "memory", readonly string[]> = {
  latency: ["sec", "msec", "mss", "MS", "Ms", "nsec", "secs", "uss", "millis", "xs", "qqq"],
  memory: ["kb", "mb", "KiB", "MBB", "gbs", "bytes", "GBB", "zz"],
};

describe("did you mean: compiler and config loader agree", () => {
  for (const kind of ["latency", "memory"] as const) {
    it(`on ${kind} units`, () => {
      const answers = UNIT_TYPOS[kind].map((typo) => {
        const options = `max: 1, unit: ${JSON.stringify(typo)}`;
        const compiler = compilerSays(kind, options);
        const config = configSays(kind, options);
        assert.equal(compiler.suggestion, config.suggestion, `"${typo}": compiler said\n${compiler.message}\nconfig said\n${config.message}`);
        return compiler.suggestion;
      });
      // Not vacuous: most typos get a suggestion, and the hopeless ones none.
      assert.ok(answers.filter((a) => a !== undefined).length >= UNIT_TYPOS[kind].length - 2, answers.join(", "));
      assert.equal(answers[answers.length - 1], undefined);
    });
  }

  it("on budget keys", () => {
    for (const [typo, meant] of [["maxx", "max"], ["unti", "unit"], ["percentil", "percentile"], ["Max", "max"]] as const) {
      const compiler = compilerSays("latency", `${typo}: 1, max: 1, unit: "ms"`.replace(typo === "Max" ? /, max: 1/ : /^$/, ""));
      const config = configSays("latency", `${typo}: 1, max: 1, unit: ms`.replace(typo === "Max" ? /, max: 1/ : /^$/, ""));
      assert.equal(compiler.suggestion, meant, compiler.message);
      assert.equal(config.suggestion, meant, config.message);
    }
  });
});
