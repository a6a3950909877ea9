import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, TempProject, tspcUnderTest, typescriptUnderTest } from "../support/project";
import { annotateTree, type Annotation, type DecoratorDialect } from "./annotate-classes";

/**
 * The real-world corpus: the TypeScript sources of published open-source projects (test/fixtures/real-world/,
 * pinned, with their licences and SOURCE.md: class-transformer, built with experimentalDecorators and
 * emitDecoratorMetadata; typescript-collections, ES5; js-sdsl, ES2015), every method and accessor of every class
 * annotated by annotate-classes.ts on a temporary copy, compiled by the real `tspc` (ts-patch + our transformer) in instrument and in strip mode, and
 * the untouched tree compiled by plain `tsc` with the project's own compiler options. Then:
 * - the stripped build is byte-identical to the plain one, every emitted file (.js and .d.ts);
 * - a driver per project (test/fixtures/real-world/drivers/) uses the project's public API; the plain, stripped
 *   and instrumented builds print the same results;
 * - the instrumented run's report (CHORAGEN_PERF_REPORT) holds one contract per annotation at its file and line,
 *   violations exactly where a tight budget was written, and call counts where percentile contracts are;
 * - the stripped run never loads the runtime;
 * - the same through the source-level core (what the bundler hosts run): esbuild with `@choragen/perf/esbuild`
 *   in strip mode bundles byte-identically to esbuild without it, and the instrumented bundle behaves the same.
 */
const REAL_WORLD = path.join(REPO_ROOT, "test", "fixtures", "real-world");

/** A contract the test chooses for one target instead of the annotator's generous rotation, and what it expects. */
interface ChosenContract {
  readonly target: string;
  readonly decorator: string;
  /** `violation`: every run violates it (a budget of 1 ns on a method doing real work); `calls`: a percentile contract that counts calls. */
  readonly expect: "violation" | "calls";
}

interface RealWorldProject {
  /** Folder under test/fixtures/real-world, with the project's `src/` tree as published. */
  readonly name: string;
  readonly dialect: DecoratorDialect;
  /** The compiler options of the project's own build (see its SOURCE.md), for every build here. */
  readonly compilerOptions: (tsMajor: number) => Record<string, unknown>;
  /** Packages from this repository's node_modules the build or the driver needs. */
  readonly links: readonly string[];
  readonly chosen: readonly ChosenContract[];
  /** At least this many members annotated (a guard against an annotator that silently does nothing). */
  readonly minAnnotations: number;
  /** A module node preloads (`-r`) to run the compiled tree, from test/fixtures/real-world/drivers/. */
  readonly preload?: string;
}

const PROJECTS: readonly RealWorldProject[] = [
  {
    name: "class-transformer",
    dialect: "experimental",
    // tsconfig.json + tsconfig.prod.json + tsconfig.prod.cjs.json of the project, with declarations on (its types build).
    compilerOptions: (tsMajor) => ({
      module: "commonjs", moduleResolution: "node", target: "es2018", lib: ["es2018"], strict: false, esModuleInterop: true,
      experimentalDecorators: true, emitDecoratorMetadata: true, forceConsistentCasingInFileNames: true, removeComments: false,
      declaration: true, types: ["node"], ...(tsMajor >= 6 ? { ignoreDeprecations: "6.0" } : {}),
    }),
    links: ["reflect-metadata", "@types/node"],
    chosen: [
      { target: "ClassTransformer.plainToInstance", decorator: '@perf.latency({ max: 1, unit: "ns" })', expect: "violation" },
      // A driver method that keeps another decorator (and so its design:* metadata), async, measured until it settles.
      { target: "Repository.findLater", decorator: '@perf.latency({ max: 1, unit: "ns" })', expect: "violation" },
      { target: "TransformOperationExecutor.transform", decorator: '@perf.latency({ max: 60, unit: "s", percentile: 99 })', expect: "calls" },
    ],
    minAnnotations: 40,
  },
  {
    name: "typescript-collections",
    dialect: "standard",
    // The project's tsconfig.json (target ES5), with strictPropertyInitialization off: its TypeScript 2.5 had no such check.
    compilerOptions: (tsMajor) => ({
      module: "commonjs", target: "es5", lib: ["es2015"], declaration: true, noImplicitAny: true, removeComments: false,
      preserveConstEnums: true, strict: true, strictPropertyInitialization: false, types: [], ...(tsMajor >= 6 ? { ignoreDeprecations: "6.0" } : {}),
    }),
    links: [],
    chosen: [
      { target: "BSTreeKV.inorderTraversal", decorator: '@perf.latency({ max: 1, unit: "ns" })', expect: "violation" },
      { target: "MultiRootTree.flatten", decorator: '@perf.latency({ max: 1, unit: "ns" })', expect: "violation" },
      { target: "Dictionary.setValue", decorator: '@perf.latency({ max: 1, unit: "ns", percentile: 50 })', expect: "violation" },
      { target: "LinkedList.add", decorator: '@perf.latency({ max: 60, unit: "s", percentile: 99 })', expect: "calls" },
    ],
    minAnnotations: 150,
  },
  {
    name: "js-sdsl",
    dialect: "standard",
    // The project's tsconfig.json as CommonJS with declarations; `paths` without `baseUrl` (resolved against the tsconfig).
    compilerOptions: (tsMajor) => ({
      module: "commonjs", moduleResolution: "node", target: "es2015", strict: true, esModuleInterop: true, downlevelIteration: true,
      forceConsistentCasingInFileNames: true, stripInternal: true, declaration: true, types: [], paths: { "@/*": ["./src/*"] },
      ...(tsMajor >= 6 ? { ignoreDeprecations: "6.0" } : {}),
    }),
    links: [],
    chosen: [
      { target: "OrderedSet.union", decorator: '@perf.latency({ max: 1, unit: "ns" })', expect: "violation" },
      { target: "Deque._reAllocate", decorator: '@perf.latency({ max: 1, unit: "ns" })', expect: "violation" },
      { target: "TreeContainer._set", decorator: '@perf.latency({ max: 60, unit: "s", percentile: 99 })', expect: "calls" },
      { target: "LinkListIterator.set pointer", decorator: '@perf.latency({ max: 60, unit: "s", percentile: 99 })', expect: "calls" },
    ],
    minAnnotations: 180,
    preload: "js-sdsl.alias.cjs",
  },
];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The test's own environment, without the variables that choose a mode or arm the runtime. */
const CLEAN_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !["NODE_ENV", "CHORAGEN_PERF_MODE", "CHORAGEN_PERF_REPORT", "CHORAGEN_PERF_ON_VIOLATION"].includes(name)),
);

/** A node child process in the clean environment, plus `env`. */
function run(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...CLEAN_ENV, ...env } },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

function tscUnderTest(): string {
  return path.join(process.env["CHORAGEN_TEST_TS"] ?? path.join(REPO_ROOT, "node_modules", "typescript"), "bin", "tsc");
}

/** Every file under `dir`, relative, sorted. */
function listTree(dir: string): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const name = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(name);
      else files.push(name);
    }
  };
  walk("");
  return files.sort();
}

/** The first line where two texts differ, with a little context, for a readable failure. */
function firstDifference(a: string, b: string): string {
  const left = a.split("\n");
  const right = b.split("\n");
  const at = left.findIndex((line, i) => line !== right[i]);
  const line = at === -1 ? left.length : at;
  const around = (lines: string[]): string => lines.slice(Math.max(0, line - 2), line + 3).join("\n");
  return `line ${line + 1}:\n--- plain\n${around(right)}\n--- stripped\n${around(left)}`;
}

function setUp(project: RealWorldProject, prefix: string): TempProject {
  const p = new TempProject(`choragen-real-world-${prefix}-`);
  for (const link of project.links) {
    fs.mkdirSync(path.dirname(path.join(p.dir, "node_modules", link)), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, "node_modules", link)), path.join(p.dir, "node_modules", link), "dir");
  }
  return p;
}

function tsconfig(project: RealWorldProject, tsMajor: number, plugin: boolean): string {
  return JSON.stringify({
    compilerOptions: {
      ...project.compilerOptions(tsMajor),
      // Not the projects' setting: declaration files of node_modules are not type-checked, which changes no emitted
      // byte and halves class-transformer's compile time (@types/node).
      skipLibCheck: true,
      rootDir: ".",
      outDir: "out",
      ...(plugin ? { plugins: [{ transform: "@choragen/perf/transformer" }] } : {}),
    },
    include: ["src", "driver"],
  }, null, 2);
}

interface Report {
  readonly contracts: readonly { target: string; kind: string; file: string; line: number; calls?: number; percentile?: number }[];
  readonly violations: readonly { target: string; kind: string; file: string; line: number; percentile?: number }[];
}

for (const project of PROJECTS) {
  test(`real world: ${project.name}, every class method annotated, compiled by tspc in both modes and by plain tsc`, async (t) => {
    const tsMajor = Number(typescriptUnderTest().version.split(".")[0]);
    const fixture = path.join(REAL_WORLD, project.name);
    const plain = setUp(project, `${project.name}-plain`);
    const annotated = setUp(project, `${project.name}-annotated`);
    try {
      // The plain tree: the project's sources as published, and the driver.
      fs.cpSync(path.join(fixture, "src"), path.join(plain.dir, "src"), { recursive: true });
      plain.write("driver/main.ts", fs.readFileSync(path.join(REAL_WORLD, "drivers", `${project.name}.ts`), "utf8"));
      plain.write("tsconfig.json", tsconfig(project, tsMajor, false));
      // The annotated tree: the same, every method of every class (the driver's too) annotated.
      const overrides = Object.fromEntries(project.chosen.map((c) => [c.target, c.decorator]));
      const plan = { dialect: project.dialect, tight: overrides };
      const library = annotateTree(path.join(plain.dir, "src"), path.join(annotated.dir, "src"), plan);
      const driver = annotateTree(path.join(plain.dir, "driver"), path.join(annotated.dir, "driver"), plan);
      const annotations: Annotation[] = [
        ...library.annotations.map((a) => ({ ...a, file: `src/${a.file}` })),
        ...driver.annotations.map((a) => ({ ...a, file: `driver/${a.file}` })),
      ];
      annotated.write("tsconfig.json", tsconfig(project, tsMajor, true));
      const skipped = [...library.skipped, ...driver.skipped];
      t.diagnostic(`${annotations.length} members annotated (${annotations.reduce((n, a) => n + a.decorators.length, 0)} contracts) in ${library.files.length + driver.files.length} files; not annotated: ${skipped.map((s) => s.target).join(", ") || "none"}`);

      await t.test("the annotator annotated the project, and every chosen target", () => {
        assert.ok(annotations.length >= project.minAnnotations, `${annotations.length} members annotated`);
        // Only generators are left out: TypeScript accepts a decorator everywhere else the annotator looks.
        assert.deepEqual(skipped.filter((s) => !s.reason.startsWith("generator")), []);
        for (const c of project.chosen) assert.ok(annotations.some((a) => a.target === c.target && a.tight), `${c.target} was not found`);
      });

      const [plainBuild, instrumentBuild, stripBuild] = await Promise.all([
        run(plain.dir, [tscUnderTest(), "-p", "tsconfig.json"]),
        run(annotated.dir, [tspcUnderTest(), "-p", "tsconfig.json", "--outDir", "out-instrument"]),
        run(annotated.dir, [tspcUnderTest(), "-p", "tsconfig.json", "--outDir", "out-strip"], { NODE_ENV: "production" }),
      ]);
      assert.equal(plainBuild.status, 0, `plain tsc failed:\n${plainBuild.stdout}${plainBuild.stderr}`);
      assert.equal(instrumentBuild.status, 0, `tspc (instrument) failed:\n${instrumentBuild.stdout}${instrumentBuild.stderr}`);
      assert.equal(stripBuild.status, 0, `tspc (strip) failed:\n${stripBuild.stdout}${stripBuild.stderr}`);

      await t.test("strip: the whole emitted tree is byte-identical to the plain build (.js and .d.ts)", () => {
        const plainFiles = listTree(path.join(plain.dir, "out"));
        const stripFiles = listTree(path.join(annotated.dir, "out-strip"));
        assert.deepEqual(stripFiles, plainFiles);
        assert.ok(plainFiles.some((f) => f.endsWith(".d.ts")) && plainFiles.some((f) => f.endsWith(".js")), "declarations and JavaScript were compared");
        for (const file of plainFiles) {
          const expected = fs.readFileSync(path.join(plain.dir, "out", file));
          const actual = fs.readFileSync(path.join(annotated.dir, "out-strip", file));
          if (!actual.equals(expected)) assert.fail(`out/${file} differs, ${firstDifference(actual.toString(), expected.toString())}`);
        }
      });

      await t.test("instrument: every annotation is inlined, none is left to the runtime decorators", () => {
        for (const file of new Set(annotations.map((a) => a.file))) {
          const js = annotated.read(path.join("out-instrument", file.replace(/\.ts$/, ".js")));
          const written = annotations.filter((a) => a.file === file).reduce((n, a) => n + a.decorators.length, 0);
          assert.equal((js.match(/__perf\w*_contract\(\{/g) ?? []).length, written, `${file}: one inlined contract per annotation`);
          assert.doesNotMatch(js, /perf\.(latency|memory)\b/, file);
        }
      });

      const reportFile = path.join(annotated.dir, "report.json");
      const stripReport = path.join(annotated.dir, "strip-report.json");
      const preload = project.preload === undefined ? [] : ["-r", path.join(REAL_WORLD, "drivers", project.preload)];
      const [plainRun, instrumentRun, stripRun] = await Promise.all([
        run(plain.dir, [...preload, "out/driver/main.js"]),
        run(annotated.dir, [...preload, "out-instrument/driver/main.js"], { CHORAGEN_PERF_REPORT: reportFile }),
        run(annotated.dir, [...preload, "out-strip/driver/main.js"], { CHORAGEN_PERF_REPORT: stripReport }),
      ]);

      await t.test("the project's behaviour is the same in the plain, stripped and instrumented builds", () => {
        assert.equal(plainRun.status, 0, plainRun.stderr);
        assert.ok(plainRun.stdout.length > 1000, `the driver printed its results:\n${plainRun.stdout}`);
        assert.equal(stripRun.status, 0, stripRun.stderr);
        assert.equal(instrumentRun.status, 0, instrumentRun.stderr);
        assert.deepEqual(JSON.parse(stripRun.stdout), JSON.parse(plainRun.stdout));
        assert.deepEqual(JSON.parse(instrumentRun.stdout), JSON.parse(plainRun.stdout));
        assert.equal(instrumentRun.stderr, "");
      });

      await t.test("the stripped program never loads the runtime", () => {
        assert.equal(fs.existsSync(stripReport), false, "a report was written, so the runtime was loaded");
      });

      await t.test("instrument: the report has one contract per annotation, violations exactly at the tight budgets, calls where counted", () => {
        const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as Report;
        const key = (kind: string, target: string, file: string, line: number): string => `${kind} ${target} ${file}:${line}`;
        const expectedContracts = annotations.flatMap((a) => a.decorators.map((d, i) => key(/@perf\.memory/.test(d) ? "memory" : "latency", a.target, a.file, a.lines[i]!))).sort();
        assert.deepEqual(report.contracts.map((c) => key(c.kind, c.target, c.file, c.line)).sort(), expectedContracts);
        const tight = project.chosen.filter((c) => c.expect === "violation").map((c) => {
          const a = annotations.find((x) => x.target === c.target && x.tight)!;
          return key("latency", c.target, a.file, a.lines[0]!);
        });
        assert.deepEqual([...new Set(report.violations.map((v) => key(v.kind, v.target, v.file, v.line)))].sort(), [...tight].sort());
        for (const c of project.chosen.filter((x) => x.expect === "calls")) {
          const contract = report.contracts.find((x) => x.target === c.target);
          assert.ok(contract && (contract.calls ?? 0) > 0, `${c.target}: calls ${contract?.calls}`);
        }
        const counted = report.contracts.filter((c) => c.percentile !== undefined);
        t.diagnostic(`${report.violations.length} violations; ${counted.filter((c) => (c.calls ?? 0) > 0).length} of ${counted.length} percentile contracts called`);
      });

      await t.test("source core: esbuild with @choragen/perf/esbuild strips to the plain bundle byte for byte, and instruments without changing behaviour", async () => {
        const esbuild = require(path.join(REPO_ROOT, "node_modules", "esbuild")) as typeof import("esbuild");
        const perf = require(path.join(REPO_ROOT, "dist", "transformer", "hosts", "esbuild.js")) as typeof import("../../transformer/hosts/esbuild");
        const bundle = async (dir: string, outfile: string, mode?: "strip" | "instrument"): Promise<void> => {
          await esbuild.build({
            absWorkingDir: dir, entryPoints: ["driver/main.ts"], bundle: true, platform: "node", format: "cjs", target: "es2018",
            outfile, external: ["reflect-metadata", "@choragen/perf", "@choragen/perf/*"], logLevel: "silent",
            plugins: mode === undefined ? [] : [perf({ mode })],
          });
        };
        await Promise.all([
          bundle(plain.dir, "bundle-plain.js"),
          bundle(annotated.dir, "bundle-strip.js", "strip"),
          bundle(annotated.dir, "bundle-instrument.js", "instrument"),
        ]);
        const expected = plain.read("bundle-plain.js");
        const stripped = annotated.read("bundle-strip.js");
        if (stripped !== expected) assert.fail(`the stripped bundle differs, ${firstDifference(stripped, expected)}`);
        assert.match(annotated.read("bundle-instrument.js"), /@choragen\/perf\/probe/, "the probes are inlined");
        const [plainBundle, instrumentBundle] = await Promise.all([
          run(plain.dir, ["bundle-plain.js"]),
          run(annotated.dir, ["bundle-instrument.js"], { CHORAGEN_PERF_REPORT: path.join(annotated.dir, "bundle-report.json") }),
        ]);
        assert.equal(plainBundle.status, 0, plainBundle.stderr);
        assert.equal(instrumentBundle.status, 0, instrumentBundle.stderr);
        assert.deepEqual(JSON.parse(instrumentBundle.stdout), JSON.parse(plainBundle.stdout));
        const report = JSON.parse(annotated.read("bundle-report.json")) as Report;
        const violated = new Set(report.violations.map((v) => v.target));
        assert.deepEqual([...violated].sort(), project.chosen.filter((c) => c.expect === "violation").map((c) => c.target).sort());
      });
    } finally {
      plain.remove();
      annotated.remove();
    }
  });
}
