import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { TempProject } from "../support/project";
import { CONFIGS, RELIABILITY_FIXTURES, compilerOptionsFor, type BuildConfig } from "./differential";
import { dualCompile } from "./dual-compile";

/**
 * The misuse corpus, beyond test/transformer/misuse.test.ts: misuse in nested classes, class expressions,
 * through namespace and aliased imports and a local re-export, next to valid annotations. Each ⟨here⟩ marks
 * where one diagnostic must start (removed before compiling); `contracts` is how many valid annotations the
 * file still has, each of which must be inlined, misuse or not. All cases of a dialect compile as one program.
 * TypeScript's own errors are not asserted here: the runtime decorator's types already reject some misuse
 * (a class, a field), and the transformer must report it all the same, since plain JavaScript callers and
 * `any` get past the types.
 */
interface MisuseCase {
  readonly name: string;
  readonly code: number;
  readonly message: RegExp;
  readonly source: string;
  /** Valid annotations in the file, each of which must become an inlined contract. */
  readonly contracts?: number;
  readonly dialect?: "standard" | "experimental";
  /** A known bug keeps the case visible as a todo. */
  readonly todo?: string;
}

const HEADER = [
  `import { perf } from "@choragen/perf";`,
  `import * as cp from "@choragen/perf";`,
  `import { perf as p } from "@choragen/perf";`,
  `import { perf as local, everything } from "../perf-local.js";`,
  `void [perf, cp, p, local, everything];`,
  ``,
].join("\n");

const CASES: readonly MisuseCase[] = [
  {
    name: "a field of a class nested in a method",
    code: 91001,
    message: /not a field/,
    source: `export class Outer {\n  run(): number {\n    class Inner {\n      ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n      value = 1;\n    }\n    return new Inner().value;\n  }\n}`,
  },
  {
    name: "a generator of a class nested in an annotated method, which stays instrumented",
    code: 91002,
    message: /cannot annotate a generator/,
    contracts: 1,
    source: `export class Outer {\n  @perf.latency({ max: 1, unit: "ms" })\n  run(): number {\n    class Inner {\n      ⟨here⟩@perf.memory({ max: 1, unit: "MB" })\n      *items(): Generator<number> {\n        yield 1;\n      }\n    }\n    return [...new Inner().items()].length;\n  }\n}`,
  },
  {
    name: "a bad wrapper inside an annotated method, which stays instrumented",
    code: 91006,
    message: /"max" must be a finite number greater than 0; found 0/,
    contracts: 1,
    source: `export class Outer {\n  @perf.latency({ max: 1, unit: "ms" })\n  run(): number {\n    const f = perf.latency({ max: ⟨here⟩0, unit: "ms" }, (x: number) => x);\n    return f(1);\n  }\n}`,
  },
  {
    name: "a field of a class expression",
    code: 91001,
    message: /not a field/,
    dialect: "standard",
    contracts: 1,
    source: `export const A = class {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  value = 1;\n\n  @perf.latency({ max: 1, unit: "ms" })\n  ok(): number {\n    return this.value;\n  }\n};`,
  },
  {
    name: "max of zero in a class expression returned by a function",
    code: 91006,
    message: /found 0/,
    dialect: "standard",
    source: `export function make() {\n  return class {\n    @perf.latency({ max: ⟨here⟩0, unit: "ms" })\n    run(): void {}\n  };\n}`,
  },
  {
    name: "a class expression itself",
    code: 91001,
    message: /not a class/,
    dialect: "standard",
    source: `export const A = ⟨here⟩@perf.latency({ max: 1, unit: "ms" }) class {\n  run(): void {}\n};`,
  },
  {
    name: "a namespace import: max of zero",
    code: 91006,
    message: /found 0/,
    source: `export class A {\n  @cp.perf.latency({ max: ⟨here⟩0, unit: "ms" })\n  run(): void {}\n}`,
  },
  {
    name: "a namespace import on a class",
    code: 91001,
    message: /not a class/,
    source: `⟨here⟩@cp.perf.memory({ max: 1, unit: "MB" })\nexport class A {\n  run(): void {}\n}`,
  },
  {
    name: "an aliased import not called",
    code: 91010,
    message: /@perf.latency must be called/,
    source: `export class A {\n  // @ts-expect-error not called on purpose\n  ⟨here⟩@p.latency\n  run(): void {}\n}`,
  },
  {
    name: "a local re-export: unknown unit",
    code: 91005,
    message: /^Unknown latency unit "sec"; did you mean "s"\? Expected one of: ns, us, ms, s\.$/,
    source: `export class A {\n  // @ts-expect-error the unit is wrong on purpose\n  @local.latency({ max: 1, unit: ⟨here⟩"sec" })\n  run(): void {}\n}`,
  },
  {
    name: "a re-exported namespace on a generator",
    code: 91002,
    message: /cannot annotate a generator/,
    source: `export class A {\n  ⟨here⟩@everything.perf.latency({ max: 1, unit: "ms" })\n  *run(): Generator<number> {\n    yield 1;\n  }\n}`,
  },
  {
    name: "a wrapper through a namespace import with a negative max",
    code: 91006,
    message: /found -1/,
    source: `export const f = cp.perf.latency({ max: ⟨here⟩-1, unit: "ms" }, () => 1);`,
  },
  {
    name: "a wrapper through a local re-export around an async generator",
    code: 91002,
    message: /cannot wrap a generator function/,
    source: `export const f = local.latency({ max: 1, unit: "ms" }, ⟨here⟩async function* () {\n  yield 1;\n});`,
  },
  {
    name: "a wrapper in a field initialiser with options from a variable",
    code: 91004,
    message: /options must be an object literal .* found the identifier "budget"/,
    source: `const budget = { max: 1, unit: "ms" } as const;\nexport class A {\n  handler = perf.latency(⟨here⟩budget, (x: number) => x);\n}`,
  },
  {
    name: "a static field",
    code: 91001,
    message: /not a field/,
    source: `export class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  static value = 1;\n}`,
  },
  {
    name: "a #private field",
    code: 91001,
    message: /not a field/,
    dialect: "standard",
    source: `export class A {\n  ⟨here⟩@perf.memory({ max: 1, unit: "MB" })\n  #value = 1;\n  read(): number {\n    return this.#value;\n  }\n}`,
  },
  {
    name: "an overload signature of a static method",
    code: 91003,
    message: /overload signature/,
    contracts: 1,
    source: `export class A {\n  ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n  static run(x: string): string;\n  static run(x: number): number;\n  @perf.latency({ max: 1, unit: "ms" })\n  static run(x: unknown): unknown {\n    return x;\n  }\n}`,
  },
  {
    name: "an abstract method of an abstract class nested in a function",
    code: 91003,
    message: /abstract member/,
    source: `export function make() {\n  abstract class Base {\n    ⟨here⟩@perf.latency({ max: 1, unit: "ms" })\n    abstract run(): void;\n  }\n  return Base;\n}`,
  },
  {
    name: "a class in a namespace: percentile of zero",
    code: 91009,
    message: /"percentile" must be greater than 0 and at most 100; found 0/,
    source: `export namespace Api {\n  export class A {\n    @perf.latency({ max: 1, unit: "ms", percentile: ⟨here⟩0 })\n    run(): void {}\n  }\n}`,
  },
  {
    name: "a default-exported anonymous class",
    code: 91007,
    message: /^Unknown perf\.latency option "maximum"\. Expected one of: max, unit, percentile, name\.$/,
    source: `export default class {\n  // @ts-expect-error misspelt on purpose\n  @perf.latency({ ⟨here⟩maximum: 1, unit: "ms" })\n  run(): void {}\n}`,
  },
  {
    name: "a max that overflows to Infinity",
    code: 91006,
    message: /finite number greater than 0; found Infinity/,
    source: `export class A {\n  @perf.latency({ max: ⟨here⟩1e999, unit: "ms" })\n  run(): void {}\n}`,
  },
  {
    name: "a unit written as a template with a substitution",
    code: 91004,
    message: /option "unit" must be a literal.*found a template with substitutions/,
    source: `const m = "m";\nexport class A {\n  // @ts-expect-error the unit is not a literal type\n  @perf.latency({ max: 1, unit: ⟨here⟩\`\${m}s\` })\n  run(): void {}\n}`,
  },
  {
    name: "a name that is not a string",
    code: 91004,
    message: /option "name" must be a string; found 5/,
    source: `export class A {\n  // @ts-expect-error name must be a string\n  @perf.latency({ max: 1, unit: "ms", name: ⟨here⟩5 })\n  run(): void {}\n}`,
  },
  {
    name: "a computed key in the options",
    code: 91004,
    message: /plain "key: literal" properties; found a computed key/,
    source: `export class A {\n  @perf.latency({ max: 1, ⟨here⟩["unit"]: "ms" })\n  run(): void {}\n}`,
  },
  {
    name: "a second argument to the decorator",
    code: 91004,
    message: /takes one options object as a decorator/,
    source: `export class A {\n  // @ts-expect-error two arguments on purpose\n  @perf.latency({ max: 1, unit: "ms" }, ⟨here⟩() => 1)\n  run(): void {}\n}`,
  },
  {
    name: "a parameter (experimentalDecorators)",
    code: 91001,
    message: /not a parameter/,
    dialect: "experimental",
    source: `export class A {\n  run(\n    // @ts-expect-error not a parameter decorator\n    ⟨here⟩@perf.latency({ max: 1, unit: "ms" }) x: number,\n  ): number {\n    return x;\n  }\n}`,
  },
  {
    name: "two misuses in one file, a valid annotation between them",
    code: 91006,
    message: /found 0/,
    contracts: 1,
    source: `export class A {\n  @perf.latency({ max: ⟨here⟩0, unit: "ms" })\n  one(): void {}\n\n  @perf.latency({ max: 5, unit: "ms" })\n  two(): void {}\n\n  @perf.memory({ max: ⟨here⟩0, unit: "MB" })\n  three(): void {}\n}`,
  },
];

/**
 * Ways of writing an annotation that the transformer must either inline or report, never leave as a runtime
 * decorator or wrapper in silence (in strip mode that would ship the runtime to production). Each file holds
 * one such annotation.
 */
const LEFTOVERS: readonly { name: string; source: string; todo?: string }[] = [
  {
    name: "a parenthesised decorator",
    source: `export class A {
  @(perf.latency({ max: 1, unit: "ms" }))
  run(): number {
    return 1;
  }
}`,
  },
  {
    name: "a decorator made once and reused",
    source: `const fast = perf.latency({ max: 5, unit: "ms" });
export class A {
  @fast
  run(): number {
    return 1;
  }
}`,
  },
  {
    name: "a decorator taken from a destructured perf",
    source: `const { latency } = perf;
export class A {
  @latency({ max: 1, unit: "ms" })
  run(): number {
    return 1;
  }
}`,
  },
  {
    name: "a decorator through a local alias of perf.latency",
    source: `const lat = perf.latency;
export class A {
  @lat({ max: 1, unit: "ms" })
  run(): number {
    return 1;
  }
}`,
  },
  {
    name: "a wrapper called through an element access",
    source: `export const f = perf["latency"]({ max: 1, unit: "ms" }, (x: number) => x);`,
  },
];

interface Expected {
  readonly file: string;
  readonly starts: number[];
  readonly case: MisuseCase;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function casesOf(config: BuildConfig): MisuseCase[] {
  const dialect = config.experimentalDecorators ? "experimental" : "standard";
  return CASES.filter((c) => c.dialect === undefined || c.dialect === dialect);
}

function lineColumn(text: string, at: number): string {
  const before = text.slice(0, at).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

function describeDiagnostics(list: readonly ts.Diagnostic[]): string {
  return list.map((d) => `${d.code} at ${d.start}: ${typeof d.messageText === "string" ? d.messageText : d.messageText.messageText}`).join("\n");
}

const DIALECTS = [CONFIGS.find((c) => !c.experimentalDecorators && c.flavour === "commonjs")!, CONFIGS.find((c) => c.experimentalDecorators && c.flavour === "commonjs")!];

for (const config of DIALECTS) {
  test(`misuse corpus (${config.experimentalDecorators ? "experimentalDecorators" : "standard decorators"}): one diagnostic at each misuse, valid annotations still inlined`, async (t) => {
    const strip = new TempProject("choragen-misuse-strip-", config.flavour);
    const instrument = new TempProject("choragen-misuse-instrument-", config.flavour);
    try {
      strip.write("src/perf-local.ts", fs.readFileSync(path.join(RELIABILITY_FIXTURES, "perf-local.ts"), "utf8"));
      const expected: Expected[] = [];
      for (const c of casesOf(config)) {
        const marked = `${HEADER}${c.source}\n`;
        const parts = marked.split("⟨here⟩");
        const starts: number[] = [];
        let offset = 0;
        for (const part of parts.slice(0, -1)) {
          offset += part.length;
          starts.push(offset);
        }
        assert.ok(starts.length > 0, `${c.name}: no ⟨here⟩ marker`);
        const file = `src/misuse/${slug(c.name)}.ts`;
        strip.write(file, parts.join(""));
        expected.push({ file, starts, case: c });
      }
      const leftovers = LEFTOVERS.map((l) => ({ ...l, file: `src/leftover/${slug(l.name)}.ts` }));
      for (const l of leftovers) strip.write(l.file, `${HEADER}${l.source}\n`);
      const result = dualCompile(strip, instrument, ["src/perf-local.ts", ...expected.map((e) => e.file), ...leftovers.map((l) => l.file)], compilerOptionsFor(config));
      for (const l of leftovers) {
        await t.test(`not left in silence: ${l.name}`, l.todo === undefined ? {} : { todo: l.todo }, () => {
          for (const [mode, diagnostics, outputs] of [["strip", result.stripDiagnostics, result.strip], ["instrument", result.instrumentDiagnostics, result.instrument]] as const) {
            const reported = diagnostics.some((d) => d.file?.fileName === path.join(strip.dir, l.file));
            const js = outputs.get(l.file.replace(/\.ts$/, ".js")) ?? assert.fail(`no output for ${l.file}`);
            const inlined = !/\blatency\b|\blat\b|\bfast\b/.test(js.replace(/kind: "latency"/g, ""));
            assert.ok(reported || inlined, `${mode}: neither reported nor inlined:\n${js.split("\n").filter((line) => /latency|\blat\b|fast/.test(line)).join("\n")}`);
          }
        });
      }
      for (const e of expected) {
        await t.test(e.case.name, e.case.todo === undefined ? {} : { todo: e.case.todo }, () => {
          const text = fs.readFileSync(path.join(strip.dir, e.file), "utf8");
          for (const [mode, diagnostics] of [["strip", result.stripDiagnostics], ["instrument", result.instrumentDiagnostics]] as const) {
            const mine = diagnostics.filter((d) => d.file !== undefined && d.file.fileName === path.join(strip.dir, e.file));
            assert.deepEqual(
              mine.map((d) => `${d.code}@${lineColumn(text, d.start ?? -1)}`),
              e.starts.map((s) => `${e.case.code}@${lineColumn(text, s)}`),
              `${mode}: diagnostics of ${e.file}:\n${describeDiagnostics(mine)}`,
            );
            for (const d of mine) {
              assert.equal(d.source, "@choragen/perf");
              assert.match(typeof d.messageText === "string" ? d.messageText : d.messageText.messageText, e.case.message);
            }
          }
          const js = result.instrument.get(e.file.replace(/\.ts$/, ".js")) ?? assert.fail(`no output for ${e.file}`);
          assert.equal((js.match(/[._]contract\(\{/g) ?? []).length, e.case.contracts ?? 0, `valid annotations inlined in:\n${js}`);
        });
      }
      await t.test("a file where every annotation is valid has no diagnostic", () => {
        const others = [...result.stripDiagnostics, ...result.instrumentDiagnostics].filter((d) => ![...expected, ...leftovers].some((e) => d.file?.fileName === path.join(strip.dir, e.file)));
        assert.deepEqual(describeDiagnostics(others), "");
      });
    } finally {
      strip.remove();
      instrument.remove();
    }
  });
}

test("misuse corpus size", () => {
  process.stdout.write(`# misuse corpus: ${CASES.length} cases (${CASES.filter((c) => c.dialect === undefined).length} in both decorator dialects)\n`);
  assert.ok(CASES.length >= 20);
});
