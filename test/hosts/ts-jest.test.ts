import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../support/project";
import { FIXTURES } from "./support";

/**
 * Jest 30 + ts-jest 29 with `astTransformers: { before: ["@choragen/perf/ts-jest"] }`, run as a user runs it
 * (`npx jest`, and `choragen perf -- npx jest`), in both ts-jest modes (a language service with a Program, and
 * `isolatedModules` transpile mode without one) and both decorator dialects.
 *
 * The project's node_modules is laid out as npm would install it: every package of this repository's
 * node_modules linked at the top, `@choragen/perf` linked to this repository, and ts-jest a real copy. A copy,
 * because ts-jest resolves the transformer module from its own location: a link would resolve into the
 * repository's node_modules, whose `@choragen/perf` is not necessarily this build.
 */
const MODULES = path.join(REPO_ROOT, "node_modules");

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

class JestProject {
  readonly dir: string;

  constructor(options: { isolated: boolean; experimental: boolean }) {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-ts-jest-")));
    const modules = path.join(this.dir, "node_modules");
    fs.mkdirSync(path.join(modules, "@choragen"), { recursive: true });
    fs.mkdirSync(path.join(modules, ".bin"));
    for (const entry of fs.readdirSync(MODULES)) {
      if (entry === "@choragen" || entry === "ts-jest" || entry.startsWith(".")) continue;
      fs.symlinkSync(path.join(MODULES, entry), path.join(modules, entry));
    }
    fs.cpSync(fs.realpathSync(path.join(MODULES, "ts-jest")), path.join(modules, "ts-jest"), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(modules, "@choragen", "perf"), "dir");
    fs.symlinkSync(path.join("..", "jest", "bin", "jest.js"), path.join(modules, ".bin", "jest"));
    fs.cpSync(path.join(FIXTURES, "ts-jest"), this.dir, { recursive: true });
    this.write("package.json", JSON.stringify({ name: "ts-jest-project", private: true }, null, 2));
    this.write(".choragen/performance.yaml", "benchmarks:\n  enabled: false\n");
    const compilerOptions = {
      target: "ES2022",
      module: "commonjs",
      strict: true,
      skipLibCheck: true,
      types: [],
      ...(options.experimental ? { experimentalDecorators: true } : {}),
      ...(options.isolated ? { isolatedModules: true } : {}),
    };
    this.write("tsconfig.json", JSON.stringify({ compilerOptions, include: ["src", "test"] }, null, 2));
    this.source("annotated");
  }

  /** The annotated service of the bundler tests, or the same service written without annotations. */
  source(which: "annotated" | "plain"): void {
    fs.mkdirSync(path.join(this.dir, "src"), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, which, "src", "service.ts"), path.join(this.dir, "src", "service.ts"));
  }

  write(relative: string, text: string): void {
    const file = path.join(this.dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }

  /** A command in the project, with the environment a user's shell would have (none of this test runner's). */
  run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
    const clean: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!/^(CHORAGEN_|NODE_TEST_CONTEXT$|NODE_OPTIONS$|NODE_ENV$|JEST_WORKER_ID$|TS_JEST)/.test(key)) clean[key] = value;
    }
    return new Promise((resolve) => {
      const child = spawn(command, args, { cwd: this.dir, env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
  }

  /** `npx jest` with a cache folder of its own, so what ts-jest emitted for src/service.ts can be read back. */
  jest(cache: string, env: Record<string, string> = {}, extra: readonly string[] = []): Promise<Run> {
    return this.run("npx", ["--no-install", "jest", "--ci", "--cacheDirectory", path.join(this.dir, cache), ...extra], env);
  }

  /**
   * The JavaScript ts-jest emitted for src/service.ts, as Jest cached it (the cache entry is a checksum line and the
   * code), less the inline source map: that map carries the source text, which differs by its annotations.
   */
  emitted(cache: string): string {
    const all = this.emittedAll(cache);
    assert.equal(all.length, 1, `one cached transform of src/service.ts in ${cache}`);
    return all[0]!;
  }

  emittedAll(cache: string): string[] {
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/^service_[0-9a-f]+$/.test(entry.name)) found.push(full);
      }
    };
    walk(path.join(this.dir, cache));
    return found.map((file) => {
      const text = fs.readFileSync(file, "utf8");
      return text.slice(text.indexOf("\n") + 1).replace(/\/\/# sourceMappingURL=\S*\s*$/, "");
    });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

interface ReportViolation {
  readonly kind: string;
  readonly target: string;
  readonly file: string;
  readonly line: number;
  readonly context: { readonly origin?: string };
}

/** The service's contracts, with the lines they are written on in test/fixtures/hosts/annotated/src/service.ts. */
const EXPECTED = [
  ["latency", "OrderService.fetchOrder", "src/service.ts", 16, "inline"],
  ["latency", "OrderService.placeOrder", "src/service.ts", 9, "inline"],
  ["latency", "parse", "src/service.ts", 29, "inline"],
  ["latency", "report", "src/service.ts", 24, "timer"],
  ["memory", "OrderService.fetchOrder", "src/service.ts", 15, "inline"],
];

const CLI = path.join(REPO_ROOT, "bin", "choragen.js");

for (const isolated of [false, true]) {
  for (const experimental of [true, false]) {
    const name = `${isolated ? "isolatedModules (transpile mode, no Program)" : "language service (a Program)"}, ${experimental ? "experimentalDecorators" : "standard decorators"}`;
    describe(`ts-jest, ${name}`, () => {
      let project: JestProject;
      before(() => {
        project = new JestProject({ isolated, experimental });
      });
      after(() => project.remove());

      test("choragen perf -- npx jest: inlined probes record every violation with its target, TypeScript file and line, and the gate fails", async () => {
        const run = await project.run(process.execPath, [CLI, "perf", "--reporter", "json", "--", "npx", "--no-install", "jest", "--ci", "--cacheDirectory", path.join(project.dir, ".jest-instrument")]);
        assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
        const report = JSON.parse(run.stdout) as { passed: boolean; violations: ReportViolation[]; run: { exitCode: number | null; contracts: number } };
        assert.equal(report.passed, false);
        assert.equal(report.run.exitCode, 0, `the Jest run itself passed:\n${run.stderr}`);
        const seen = report.violations.map((v) => [v.kind, v.target, v.file, v.line, v.context.origin]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        assert.deepEqual(seen, EXPECTED);
        const code = project.emitted(".jest-instrument");
        assert.match(code, /require\("@choragen\/perf\/probe"\)/, "the probes were inlined by the transformer (not the runtime decorators)");
        assert.doesNotMatch(code, /__decorate|__esDecorate/, "no decorator is left for TypeScript to emit");
      });

      test("NODE_ENV=production: ts-jest's output is the plain source's output, byte for byte, with no trace of @choragen/perf", async () => {
        const stripped = await project.jest(".jest-strip", { NODE_ENV: "production" });
        assert.equal(stripped.status, 0, `${stripped.stdout}\n${stripped.stderr}`);
        project.source("plain");
        try {
          const plain = await project.jest(".jest-plain", { NODE_ENV: "production" });
          assert.equal(plain.status, 0, `${plain.stdout}\n${plain.stderr}`);
          const code = project.emitted(".jest-strip");
          assert.doesNotMatch(code, /@choragen\/perf|__perf/);
          assert.equal(code, project.emitted(".jest-plain"));
        } finally {
          project.source("annotated");
        }
      });
    });
  }
}

describe("ts-jest, misuse and cache", () => {
  let project: JestProject;
  before(() => {
    project = new JestProject({ isolated: true, experimental: true });
  });
  after(() => project.remove());

  test("a misused annotation fails the test file with the diagnostic at its TypeScript file and line", async () => {
    project.write("src/bad.ts", `import { perf } from "@choragen/perf";\n\nexport class Bad {\n  @perf.latency({ max: 0, unit: "ms" })\n  run(): number {\n    return 1;\n  }\n}\n`);
    project.write("test/bad.test.ts", `import { expect, test } from "@jest/globals";\nimport { Bad } from "../src/bad";\n\ntest("bad", () => expect(new Bad().run()).toBe(1));\n`);
    try {
      const run = await project.jest(".jest-bad", {}, ["test/bad.test.ts"]);
      assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, /src\/bad\.ts.*4.*91006|src\/bad\.ts\(4,/s, run.stderr);
      assert.match(run.stderr, /"max" must be a finite number greater than 0/);
    } finally {
      fs.rmSync(path.join(project.dir, "src", "bad.ts"));
      fs.rmSync(path.join(project.dir, "test", "bad.test.ts"));
    }
  });

  test("under experimentalDecorators, an annotation on a #private method is TS91014 from ts-jest's own compiler options, as in tspc", async () => {
    // Transpile mode type-checks nothing, so TypeScript's own TS1206 is not said: the annotation would have been
    // inlined in silence, where tspc and the bundler plugins stop.
    project.write("src/legacy.ts", `import { perf } from "@choragen/perf";\n\nexport class Legacy {\n  @perf.latency({ max: 1, unit: "ms" })\n  #run(): number {\n    return 1;\n  }\n  go(): number {\n    return this.#run();\n  }\n}\n`);
    project.write("test/legacy.test.ts", `import { expect, test } from "@jest/globals";\nimport { Legacy } from "../src/legacy";\n\ntest("legacy", () => expect(new Legacy().go()).toBe(1));\n`);
    try {
      const run = await project.jest(".jest-legacy", {}, ["test/legacy.test.ts"]);
      assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, /src\/legacy\.ts.*4.*91014|src\/legacy\.ts\(4,/s, run.stderr);
      assert.match(run.stderr, /cannot go on a #private method or accessor under experimentalDecorators/);
    } finally {
      fs.rmSync(path.join(project.dir, "src", "legacy.ts"));
      fs.rmSync(path.join(project.dir, "test", "legacy.test.ts"));
    }
  });

  test("one Jest cache folder: a production run after a development run is recompiled, not served from the cache", async () => {
    const development = await project.jest(".jest-shared");
    assert.equal(development.status, 0, `${development.stdout}\n${development.stderr}`);
    assert.match(project.emitted(".jest-shared"), /__perf_/);
    const production = await project.jest(".jest-shared", { NODE_ENV: "production" });
    assert.equal(production.status, 0, `${production.stdout}\n${production.stderr}`);
    const cached = project.emittedAll(".jest-shared");
    assert.equal(cached.length, 2, "the production run compiled src/service.ts again");
    assert.equal(cached.filter((code) => !code.includes("@choragen/perf")).length, 1, "and that compilation is stripped");
  });
});
