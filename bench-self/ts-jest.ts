/**
 * What `@choragen/perf/ts-jest` costs a Jest run, as ratios to the same run without it, measured side by side
 * (interleaved rounds, medians), on the generated application (bench-self/generated-project.ts) and one test file
 * that loads all of it:
 *   npm run bench:ts-jest -- [--files 200] [--rounds 3] [--share 0.4] [--modes program,isolated]
 * - annotated, instrument: the annotated project with the transformer / the same project without it (its
 *   annotations then run as the runtime's decorators);
 * - plain, transformer on: a project that never mentions @choragen/perf, with / without it.
 * ts-jest's two modes: `program` (a language service: the files are type-checked) and `isolated`
 * (`isolatedModules`, transpiled one by one). Each run is `jest --ci --no-cache --runInBand` in a process of its
 * own: nothing is served from a cache, and one process holds all the work, so its CPU time is the run's.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_SHARE, writeGeneratedProject } from "./generated-project";
import { childrenCpuMs, median } from "./stats";

const repo = path.resolve(__dirname, "..", "..");
const MODULES = path.join(repo, "node_modules");

type Mode = "program" | "isolated";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** ts-jest as npm installs it: a real copy (it resolves AST transformers from its own location), the rest linked. */
function linkModules(dir: string): void {
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(path.join(modules, "@choragen"), { recursive: true });
  for (const entry of fs.readdirSync(MODULES)) {
    if (entry === "@choragen" || entry === "ts-jest" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(MODULES, entry), path.join(modules, entry));
  }
  fs.cpSync(fs.realpathSync(path.join(MODULES, "ts-jest")), path.join(modules, "ts-jest"), { recursive: true });
  fs.symlinkSync(repo, path.join(modules, "@choragen", "perf"), "dir");
}

function jestConfig(mode: Mode, transformer: boolean): string {
  const tsJest = { ...(mode === "isolated" ? { isolatedModules: true } : {}), ...(transformer ? { astTransformers: { before: ["@choragen/perf/ts-jest"] } } : {}) };
  return `module.exports = ${JSON.stringify(
    {
      testEnvironment: "node",
      setupFilesAfterEnv: ["@choragen/perf/jest-setup"],
      // The generated modules import each other as Node16 ESM-style specifiers ("./x.js").
      moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
      transform: { "^.+\\.tsx?$": ["ts-jest", tsJest] },
    },
    null,
    2,
  )};\n`;
}

function project(variant: "annotated" | "plain", count: number, share: number): { dir: string; annotatedFiles: number } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `choragen-bench-ts-jest-${variant}-`)));
  const generated = writeGeneratedProject(dir, variant, count, undefined, share);
  const entry = generated.files.map((f, i) => `export * as m${i} from "./${path.relative("src", f).replace(/\.ts$/, "")}";`).join("\n");
  fs.writeFileSync(path.join(dir, "src", "index.ts"), entry + "\n");
  fs.mkdirSync(path.join(dir, "test"));
  fs.writeFileSync(
    path.join(dir, "test", "all.test.ts"),
    [
      'import { expect, test } from "@jest/globals";',
      'import * as all from "../src/index";',
      "declare const process: { env: Record<string, string | undefined> };",
      "declare const require: (id: string) => { writeFileSync(file: string, text: string): void };",
      "",
      'test("the whole application loads", () => {',
      `  expect(Object.keys(all)).toHaveLength(${count});`,
      "  // The modules whose code holds inlined probes: the benchmark checks that the transformer ran, or did not.",
      "  const probed = Object.values(all).filter((m) => Object.values(m).some((x) => /__perf/.test(String(x)))).length;",
      '  require("node:fs").writeFileSync(process.env["BENCH_PROBED_FILE"]!, String(probed));',
      "});",
      "",
    ].join("\n"),
  );
  for (const mode of ["program", "isolated"] as const) {
    const compilerOptions = { target: "ES2022", module: "commonjs", strict: true, skipLibCheck: true, types: [], ...(mode === "isolated" ? { isolatedModules: true } : {}) };
    fs.writeFileSync(path.join(dir, `tsconfig.${mode}.json`), JSON.stringify({ compilerOptions, include: ["src", "test"] }, null, 2));
    for (const transformer of [true, false]) fs.writeFileSync(path.join(dir, `jest.${mode}.${transformer ? "with" : "without"}.config.js`), jestConfig(mode, transformer));
  }
  linkModules(dir);
  return { dir, annotatedFiles: generated.annotatedFiles };
}

interface RunTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * A run that measured the wrong thing is refused: with the transformer, the annotated project's modules hold inlined
 * probes (each annotated module: a class whose methods' code names a `__perf…` binding); without it, or in the plain
 * project, none does.
 */
function checkProbed(probed: number, annotatedFiles: number, dir: string, transformer: boolean, config: string): void {
  const expected = transformer && dir.includes("-annotated-") ? annotatedFiles : 0;
  if (probed !== expected) throw new Error(`jest (${config}) in ${dir}: ${probed} modules hold inlined probes, ${expected} expected: this run does not measure what it says`);
}

function jest(dir: string, annotatedFiles: number, mode: Mode, transformer: boolean): RunTime {
  // ts-jest reads tsconfig.json; each mode has its own, copied in place before the run.
  fs.copyFileSync(path.join(dir, `tsconfig.${mode}.json`), path.join(dir, "tsconfig.json"));
  const cpu = childrenCpuMs();
  const start = process.hrtime.bigint();
  const config = `jest.${mode}.${transformer ? "with" : "without"}.config.js`;
  const probedFile = path.join(dir, "probed.txt");
  fs.rmSync(probedFile, { force: true });
  const run = spawnSync(process.execPath, [path.join("node_modules", "jest", "bin", "jest.js"), "--ci", "--no-cache", "--runInBand", "-c", config], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "test", CHORAGEN_PERF_MODE: "", BENCH_PROBED_FILE: probedFile },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`jest (${config}) in ${dir} failed:\n${run.stdout}\n${run.stderr}`);
  checkProbed(Number(fs.readFileSync(probedFile, "utf8")), annotatedFiles, dir, transformer, config);
  return { wallMs, cpuMs: childrenCpuMs() - cpu };
}

function main(): void {
  const count = Number(option("--files", "200"));
  const rounds = Number(option("--rounds", "3"));
  const share = Number(option("--share", String(DEFAULT_SHARE)));
  const modes = option("--modes", "program,isolated").split(",") as Mode[];
  const annotated = project("annotated", count, share);
  const plain = project("plain", count, share);
  console.log(`node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (${os.cpus().length} cores)`);
  try {
    for (const mode of modes) {
      const times: Record<string, RunTime[]> = { annotatedWithout: [], annotatedWith: [], plainWithout: [], plainWith: [] };
      for (let r = 0; r < rounds; r++) {
        times["annotatedWithout"]!.push(jest(annotated.dir, annotated.annotatedFiles, mode, false));
        times["annotatedWith"]!.push(jest(annotated.dir, annotated.annotatedFiles, mode, true));
        times["plainWithout"]!.push(jest(plain.dir, 0, mode, false));
        times["plainWith"]!.push(jest(plain.dir, 0, mode, true));
      }
      const m = (k: string): number => median(times[k]!.map((t) => t.wallMs));
      const c = (k: string): number => median(times[k]!.map((t) => t.cpuMs));
      const both = (a: string, b: string): string =>
        `${(m(a) / m(b)).toFixed(3)}×  (${m(a).toFixed(0)} / ${m(b).toFixed(0)} ms)   CPU ${(c(a) / c(b)).toFixed(3)}×  (${c(a).toFixed(0)} / ${c(b).toFixed(0)} ms, +${(c(a) - c(b)).toFixed(0)} ms)`;
      console.log(`ts-jest, ${mode} mode (${count} files, ${annotated.annotatedFiles} annotated; median of ${rounds} interleaved rounds, jest --no-cache --runInBand: wall, and CPU of the jest process):`);
      console.log(`  annotated, transformer / without   ${both("annotatedWith", "annotatedWithout")}`);
      console.log(`  plain, transformer / without       ${both("plainWith", "plainWithout")}`);
      console.log(`  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    }
  } finally {
    fs.rmSync(annotated.dir, { recursive: true, force: true });
    fs.rmSync(plain.dir, { recursive: true, force: true });
  }
}

main();
