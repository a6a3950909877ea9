import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import type * as ts from "typescript";

/** The repository root (dist/test/support → three up). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * The TypeScript line under test: the repo's own (5.x) by default; CHORAGEN_TEST_TS points at another install
 * (the TypeScript 6 run), with CHORAGEN_TEST_TSPC the matching ts-patch `tspc`.
 */
export function typescriptUnderTest(): typeof ts {
  const override = process.env["CHORAGEN_TEST_TS"];
  return require(override ?? "typescript") as typeof ts;
}

export function tspcUnderTest(): string {
  return process.env["CHORAGEN_TEST_TSPC"] ?? path.join(REPO_ROOT, "node_modules", "ts-patch", "bin", "tspc.js");
}

export type ModuleFlavour = "commonjs" | "module";

/**
 * The tsconfig.json of a small application built with `tspc` and the plugin entry (src/ → dist/, Node16 modules);
 * `compilerOptions` adds to or overrides its options, `plugin` to the plugin entry's.
 */
export function tspcAppTsconfig(compilerOptions: Record<string, unknown> = {}, plugin: Record<string, unknown> = {}): string {
  return JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "Node16",
      moduleResolution: "Node16",
      strict: true,
      skipLibCheck: true,
      outDir: "dist",
      rootDir: "src",
      types: [],
      lib: ["ES2022", "DOM"],
      ...compilerOptions,
      plugins: [{ transform: "@choragen/perf/transformer", ...plugin }],
    },
    include: ["src"],
  });
}

/** A throwaway project where `@choragen/perf` resolves to this repository through node_modules. */
export class TempProject {
  readonly dir: string;

  constructor(prefix = "choragen-perf-", flavour: ModuleFlavour = "commonjs") {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    fs.mkdirSync(path.join(this.dir, "node_modules", "@choragen"), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(this.dir, "node_modules", "@choragen", "perf"), "dir");
    this.write("package.json", JSON.stringify({ name: "fixture", private: true, type: flavour }, null, 2));
  }

  write(relative: string, text: string): string {
    const file = path.join(this.dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  read(relative: string): string {
    return fs.readFileSync(path.join(this.dir, relative), "utf8");
  }

  exists(relative: string): boolean {
    return fs.existsSync(path.join(this.dir, relative));
  }

  /** Runs node on a file of this project; env is added to the current one. */
  /** Runs node in the project; an `env` value of undefined removes that variable. */
  node(args: readonly string[], env: Record<string, string | undefined> = {}): { status: number | null; stdout: string; stderr: string } {
    const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
    const result = spawnSync(process.execPath, args, { cwd: this.dir, env: merged, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CompileResult {
  readonly outputs: Map<string, string>;
  /** Syntactic + semantic diagnostics of the program, and the transformer's. */
  readonly diagnostics: readonly ts.Diagnostic[];
  formatDiagnostics(): string;
}

export interface CompileOptions {
  readonly transform: "instrument" | "strip" | "none";
  readonly compilerOptions?: ts.CompilerOptions;
  /** File names (relative) to compile; default: every .ts written to the project. */
  readonly rootNames?: readonly string[];
  readonly configPath?: string;
}

const sharedSourceFiles = new Map<string, ts.SourceFile>();

/**
 * A compiler host that parses TypeScript's lib files and installed declarations once per test process: they never
 * change, and re-parsing lib.dom.d.ts for every fixture would make the suite several times slower.
 */
export function cachingHost(tsi: typeof ts, options: ts.CompilerOptions): ts.CompilerHost {
  const host = tsi.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    if (!fileName.includes("/node_modules/")) return original(fileName, languageVersionOrOptions, onError, shouldCreate);
    const key = `${tsi.version}|${fileName}|${JSON.stringify(languageVersionOrOptions)}`;
    let file = sharedSourceFiles.get(key);
    if (!file) {
      file = original(fileName, languageVersionOrOptions, onError, shouldCreate);
      if (file) sharedSourceFiles.set(key, file);
    }
    return file;
  };
  return host;
}

/** Compiles files of a TempProject with the compiler API and the real transformer; writes the JS next to them. */
export function compile(project: TempProject, files: readonly string[], options: CompileOptions): CompileResult {
  const tsi = typescriptUnderTest();
  const compilerOptions: ts.CompilerOptions = {
    target: tsi.ScriptTarget.ES2022,
    module: tsi.ModuleKind.Node16,
    moduleResolution: tsi.ModuleResolutionKind.Node16,
    strict: true,
    skipLibCheck: true,
    sourceMap: false,
    types: [],
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    ...options.compilerOptions,
  };
  const rootNames = files.map((f) => path.join(project.dir, f));
  const host = cachingHost(tsi, compilerOptions);
  const program = tsi.createProgram({ rootNames, options: { ...compilerOptions, configFilePath: path.join(project.dir, "tsconfig.json") }, host });
  const outputs = new Map<string, string>();
  const diagnostics: ts.Diagnostic[] = [...tsi.getPreEmitDiagnostics(program)];
  const transformers: ts.CustomTransformers = {};
  if (options.transform !== "none") {
    const { createPerfTransformer } = require(path.join(REPO_ROOT, "dist", "transformer", "index.js")) as typeof import("../../transformer");
    const perf = createPerfTransformer(program, { mode: options.transform, ...(options.configPath ? { config: options.configPath } : {}) }, tsi);
    transformers.before = [perf.factory];
    const emit = program.emit(undefined, (name, text) => {
      outputs.set(path.relative(project.dir, name).split(path.sep).join("/"), text);
      fs.writeFileSync(name, text);
    }, undefined, false, transformers);
    diagnostics.push(...emit.diagnostics, ...perf.diagnostics);
  } else {
    const emit = program.emit(undefined, (name, text) => {
      outputs.set(path.relative(project.dir, name).split(path.sep).join("/"), text);
      fs.writeFileSync(name, text);
    });
    diagnostics.push(...emit.diagnostics);
  }
  return {
    outputs,
    diagnostics,
    formatDiagnostics: () => tsi.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => project.dir, getNewLine: () => "\n" }),
  };
}
