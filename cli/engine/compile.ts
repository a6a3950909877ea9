/**
 * Compiles bench files (and the project files they import) with the transformer in instrument mode,
 * so contracts inside benchmarked code are live. Output goes to `.choragen/cache/bench/out/`; each
 * bench file has a manifest listing every project file that went into it with its content hash, so
 * a bench file whose inputs are unchanged is not recompiled (nor even parsed).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import type * as TS from "typescript";
import { createPerfTransformer } from "../../transformer/index";
import { loadTypeScript } from "../../transformer/source/parser";
import { writeFileAtomic } from "./atomic";
import { baselineFileName } from "./baselines";
import { cacheDir, toPosixRelative } from "./paths";
import type { FileFailure } from "./types";

/**
 * TypeScript 5/6's compiler API: the project's own `typescript` when it is 5 or 6, else the `typescript6` copy
 * beside this package. A TypeScript 7 project (whose npm package has no JavaScript API) or one without
 * TypeScript still compiles its bench files, with inlined contracts.
 */
const ts = loadTypeScript();

/** Bump when the layout or the options below change, so old cache entries are not reused. */
const CACHE_FORMAT = 2;

export interface CompiledBench {
  /** Bench file relative to the root. */
  readonly file: string;
  /** The emitted JavaScript to load (absolute), when compilation succeeded. */
  readonly entry?: string;
  readonly cached: boolean;
  readonly failure?: FileFailure;
  /** The project files that went into it (relative to the root), itself included, when compiled. */
  readonly inputs?: readonly string[];
}

export interface CompileOptions {
  readonly root: string;
  /** `.choragen/performance.yaml` (absolute) when there is one; its contract defaults shape the output. */
  readonly configPath?: string;
}

interface Manifest {
  readonly format: number;
  readonly key: string;
  /** Emitted entry, relative to the output folder. */
  readonly entry: string;
  readonly inputs: readonly { readonly path: string; readonly sha256: string }[];
}

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

export const outputDir = (root: string): string => path.join(cacheDir(root), "bench", "out");

function manifestPath(root: string, file: string): string {
  const name = baselineFileName(file).replace(/\.json$/, "");
  return path.join(cacheDir(root), "bench", "manifests", `${name.slice(0, 80)}-${sha256(file).slice(0, 10)}.json`);
}

export function compileBenchFiles(files: readonly string[], opts: CompileOptions): CompiledBench[] {
  const settings = compilerSettings(opts.root);
  if ("failure" in settings) {
    return files.map((file) => ({ file, cached: false, failure: { file, kind: "compile", message: settings.failure } }));
  }
  const key = sha256(
    JSON.stringify([CACHE_FORMAT, ts.version, settings.fingerprint, transformerFingerprint(), readOptional(opts.configPath), settings.packageType]),
  );
  const outcome = new Map<string, CompiledBench>();
  const misses: string[] = [];
  for (const file of files) {
    // TypeScript reads a backslash as a path separator everywhere: such a file cannot be compiled, and its
    // error has no file attached, which would be charged to every bench file compiled with it.
    if (path.sep === "/" && file.includes("\\")) {
      outcome.set(file, { file, cached: false, failure: { file, kind: "compile", message: `${file}: TypeScript cannot compile a file whose name contains a backslash; rename it` } });
      continue;
    }
    const hit = cacheHit(opts.root, file, key);
    if (hit !== undefined) outcome.set(file, { file, entry: hit.entry, inputs: hit.inputs, cached: true });
    else misses.push(file);
  }
  for (const batch of caseDistinctBatches(misses)) for (const c of compileTogether(batch, key, settings, opts)) outcome.set(c.file, c);
  return files.map((f) => outcome.get(f)!);
}

/**
 * The files split so that no batch holds two names that differ only in case: TypeScript refuses such
 * a pair in one program (TS1149, charged to every file of it), though on a case-sensitive file system
 * they are two bench files. Usually one batch.
 */
export function caseDistinctBatches(files: readonly string[]): string[][] {
  const batches: { files: string[]; folded: Set<string> }[] = [];
  for (const file of files) {
    const folded = file.toLowerCase();
    let batch = batches.find((b) => !b.folded.has(folded));
    if (batch === undefined) batches.push((batch = { files: [], folded: new Set() }));
    batch.files.push(file);
    batch.folded.add(folded);
  }
  return batches.map((b) => b.files);
}

interface Settings {
  readonly options: TS.CompilerOptions;
  /** Global declaration files of the project (tsconfig `include`), part of every program. */
  readonly ambient: readonly string[];
  readonly fingerprint: string;
  readonly packageType: "module" | "commonjs";
}

/**
 * The project's tsconfig.json (if any) with what the runner needs forced: Node16 modules (the
 * format follows package.json "type", exactly as node will load it), output in the cache, no
 * declarations, source maps for stack traces.
 */
function compilerSettings(root: string): Settings | { failure: string } {
  let base: TS.CompilerOptions = { target: ts.ScriptTarget.ES2022, strict: true, esModuleInterop: true, skipLibCheck: true };
  let ambient: string[] = [];
  const tsconfig = path.join(root, "tsconfig.json");
  if (fs.existsSync(tsconfig)) {
    const diagnostics: TS.Diagnostic[] = [];
    const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => diagnostics.push(d),
    });
    const errors = [...diagnostics, ...(parsed?.errors ?? [])].filter(
      // "No inputs were found" is about the project's own `include`; bench files are our roots.
      (d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003,
    );
    if (parsed === undefined || errors.length > 0) return { failure: formatDiagnostics(root, errors) };
    base = parsed.options;
    ambient = parsed.fileNames.filter((f) => f.endsWith(".d.ts") && !f.split(/[\\/]/).includes("node_modules")).sort();
  }
  const options: TS.CompilerOptions = {
    ...base,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    rootDir: root,
    outDir: outputDir(root),
    noEmit: false,
    noEmitOnError: false,
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false,
    composite: false,
    incremental: false,
    sourceMap: true,
    inlineSourceMap: false,
    inlineSources: false,
    skipLibCheck: true,
  };
  for (const k of ["outFile", "tsBuildInfoFile", "declarationDir", "plugins", "configFilePath", "project", "build"]) delete options[k];
  if (options.target === undefined || options.target < ts.ScriptTarget.ES2020) options.target = ts.ScriptTarget.ES2022;
  let packageType: Settings["packageType"] = "commonjs";
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { type?: unknown };
    if (pkg.type === "module") packageType = "module";
  } catch {
    // no or unreadable package.json: node treats .js as CommonJS
  }
  const fingerprint = JSON.stringify([Object.entries(options).sort(([a], [b]) => a.localeCompare(b)), ambient]);
  return { options, ambient, fingerprint, packageType };
}

/** The transformer's compiled code: a new version of it must invalidate every cached output. */
function transformerFingerprint(): string {
  const hash = createHash("sha256");
  for (const dir of [path.join(__dirname, "..", "..", "transformer"), path.join(__dirname, "..", "..", "config")]) {
    const walk = (d: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
      } catch {
        return;
      }
      for (const e of entries) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else if (/\.(c|m)?js$/.test(e.name)) hash.update(e.name).update(fs.readFileSync(full));
      }
    };
    walk(dir);
  }
  return hash.digest("hex");
}

function readOptional(file: string | undefined): string {
  if (file === undefined) return "";
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function cacheHit(root: string, file: string, key: string): { entry: string; inputs: string[] } | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath(root, file), "utf8")) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.format !== CACHE_FORMAT || manifest.key !== key) return undefined;
  for (const input of manifest.inputs) {
    let content: Buffer;
    try {
      content = fs.readFileSync(path.join(root, input.path));
    } catch {
      return undefined;
    }
    if (sha256(content) !== input.sha256) return undefined;
  }
  const entry = path.join(outputDir(root), manifest.entry);
  return fs.existsSync(entry) ? { entry, inputs: manifest.inputs.map((i) => i.path) } : undefined;
}

function isProjectFile(root: string, fileName: string): boolean {
  const rel = path.relative(root, fileName);
  return !rel.startsWith("..") && !path.isAbsolute(rel) && !rel.split(path.sep).includes("node_modules");
}

/**
 * One program for every bench file that needs compiling (type-checking the standard library once,
 * not once per file), one emit; then each bench file is judged on the diagnostics of the files it
 * depends on, so an error in one bench file does not fail the others.
 */
function compileTogether(files: readonly string[], key: string, settings: Settings, opts: CompileOptions): CompiledBench[] {
  const root = opts.root;
  const outDir = outputDir(root);
  const host = ts.createCompilerHost(settings.options, true);
  // The transformer finds the project (config, paths in contracts) from the program's directory.
  host.getCurrentDirectory = () => root;
  const roots = files.map((f) => path.join(root, f));
  const program = ts.createProgram({ rootNames: [...roots, ...settings.ambient], options: settings.options, host });
  const closures = new Map(roots.map((r) => [r, dependencyClosure(program, root, r, settings)]));

  const errorsOf = (diagnostics: readonly TS.Diagnostic[]): TS.Diagnostic[] =>
    diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  const preEmit = errorsOf(ts.getPreEmitDiagnostics(program));

  const { factory, diagnostics: transformDiagnostics } = createPerfTransformer(
    program,
    { mode: "instrument", ...(opts.configPath === undefined ? {} : { config: opts.configPath }) },
    ts,
  );
  const entries = new Map<string, string>();
  const emit = program.emit(
    undefined,
    (fileName, text, writeBOM, onError, sourceFiles) => {
      host.writeFile(fileName, text, writeBOM, onError, sourceFiles);
      if (!/\.(c|m)?js$/.test(fileName)) return;
      for (const sf of sourceFiles ?? []) if (closures.has(path.resolve(sf.fileName))) entries.set(path.resolve(sf.fileName), fileName);
    },
    undefined,
    false,
    { before: [factory] },
  );
  const all = [...preEmit, ...errorsOf(emit.diagnostics), ...errorsOf(transformDiagnostics)];
  // Node decides CommonJS vs ESM for .js by the nearest package.json: give the output the project's.
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "package.json"), JSON.stringify({ type: settings.packageType }) + "\n");

  return files.map((file, i) => {
    const abs = roots[i]!;
    const closure = closures.get(abs)!;
    const mine = all.filter((d) => d.file === undefined || closure.has(path.resolve(d.file.fileName)));
    const entry = entries.get(abs);
    // The emit above may have overwritten the output of the last good version: its manifest must not
    // survive a failed compile, or reverting to that version would run the broken code from the cache.
    if (mine.length > 0 || entry === undefined) fs.rmSync(manifestPath(root, file), { force: true });
    if (mine.length > 0) return { file, cached: false, failure: failureOf(root, file, abs, mine) };
    if (entry === undefined) {
      return { file, cached: false, failure: { file, kind: "compile" as const, message: `${file}: TypeScript emitted no JavaScript for it` } };
    }
    const inputs = [...closure]
      .map((f) => ({ path: toPosixRelative(root, f), sha256: sha256(fs.readFileSync(f)) }))
      .sort((a, b) => a.path.localeCompare(b.path));
    const manifest: Manifest = { format: CACHE_FORMAT, key, entry: path.relative(outDir, entry), inputs };
    writeFileAtomic(manifestPath(root, file), JSON.stringify(manifest, null, 2) + "\n");
    return { file, entry: path.resolve(entry), inputs: inputs.map((i) => i.path), cached: false };
  });
}

/** The project files a bench file depends on: itself, what it imports (transitively), the ambient declarations. */
function dependencyClosure(program: TS.Program, root: string, benchFile: string, settings: Settings): Set<string> {
  const seen = new Set<string>([...settings.ambient.map((f) => path.resolve(f))]);
  const queue = [benchFile];
  const cache = ts.createModuleResolutionCache(root, (f) => f, settings.options);
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const sf = program.getSourceFile(file);
    if (sf === undefined) continue;
    const info = ts.preProcessFile(sf.text, true, true);
    for (const ref of info.importedFiles) {
      // The file's own format is the right mode for static imports; for project-relative paths
      // (the only ones we follow) both modes resolve alike anyway.
      const resolved = ts.resolveModuleName(ref.fileName, file, settings.options, ts.sys, cache, undefined, sf.impliedNodeFormat).resolvedModule;
      if (resolved !== undefined && !resolved.isExternalLibraryImport && isProjectFile(root, resolved.resolvedFileName)) {
        queue.push(path.resolve(resolved.resolvedFileName));
      }
    }
    for (const ref of info.referencedFiles) {
      const target = path.resolve(path.dirname(file), ref.fileName);
      if (isProjectFile(root, target) && fs.existsSync(target)) queue.push(target);
    }
  }
  return seen;
}

function failureOf(root: string, file: string, abs: string, diagnostics: readonly TS.Diagnostic[]): FileFailure {
  const first = diagnostics.find((d) => d.file !== undefined && path.resolve(d.file.fileName) === abs);
  const position = first?.file !== undefined && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start) : undefined;
  return {
    file,
    kind: "compile",
    message: formatDiagnostics(root, diagnostics),
    ...(position === undefined ? {} : { line: position.line + 1, column: position.character + 1 }),
  };
}

/** `file:line:col - error TS1234: message`, paths relative to the root; at most 10, then a count. */
export function formatDiagnostics(root: string, diagnostics: readonly TS.Diagnostic[]): string {
  const lines = diagnostics.slice(0, 10).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
    if (d.file === undefined || d.start === undefined) return `error TS${d.code}: ${message}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${toPosixRelative(root, d.file.fileName)}:${line + 1}:${character + 1} - error TS${d.code}: ${message}`;
  });
  if (diagnostics.length > 10) lines.push(`… and ${diagnostics.length - 10} more errors`);
  return lines.join("\n");
}
